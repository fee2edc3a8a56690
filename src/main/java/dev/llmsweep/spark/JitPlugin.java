package dev.llmsweep.spark;

import dev.llmsweep.engine.JitScope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Gives every executor of a sweep {@link JitScope} as it starts (a Spark plugin's executor side),
 * before its first task: an executor that loads no model (a resume with nothing left, or one that
 * only aggregates the points table) would otherwise compile Spark's code with C2 for the rest of
 * its life. The driver applies the scope itself.
 */
public final class JitPlugin implements SparkPlugin {
  private static final String KEY = "spark.plugins";

  /** {@code settings} with this plugin added to any the user's profile names. */
  public static Map<String, String> added(Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>(settings);
    String name = JitPlugin.class.getName();
    out.merge(KEY, name, (own, plugin) -> own.contains(plugin) ? own : own + "," + plugin);
    return out;
  }

  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext context, Map<String, String> extraConf) {
        JitScope.apply();
      }
    };
  }
}
