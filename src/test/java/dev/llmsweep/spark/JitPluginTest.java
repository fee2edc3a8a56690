package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sweep's settings name the plugin that gives its executors the sweeps' compiler scope, after any
 * plugins the user's profile names (theirs still load), and only once.
 */
class JitPluginTest {
  private static final String PLUGIN = JitPlugin.class.getName();

  @Test
  void addedToNoneToTheProfilesOwnAndOnlyOnce() {
    assertEquals(PLUGIN, JitPlugin.added(Map.of("spark.master", "local[1]")).get("spark.plugins"));
    Map<String, String> own = JitPlugin.added(Map.of("spark.plugins", "com.example.Metrics"));
    assertEquals("com.example.Metrics," + PLUGIN, own.get("spark.plugins"));
    assertEquals(own, JitPlugin.added(own));
    assertEquals(
        "local[1]", JitPlugin.added(Map.of("spark.master", "local[1]")).get("spark.master"));
  }
}
