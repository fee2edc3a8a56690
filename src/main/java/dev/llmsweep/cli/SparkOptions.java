package dev.llmsweep.cli;

import dev.llmsweep.engine.JitScope;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.job.Job;
import dev.llmsweep.spark.JitPlugin;
import dev.llmsweep.spark.SparkSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --master}, {@code --conf-profile} and {@code --conf}: how a subcommand gets its Spark. */
public final class SparkOptions {
  static final String DEFAULT_PROFILE = "local-cpu";

  @Option(
      names = "--master",
      paramLabel = "M",
      description = "Spark master URL (default: the profile's, local[1])")
  String master;

  @Option(
      names = "--conf-profile",
      paramLabel = "P",
      description =
          "conf/P.properties or a properties file (default: " + DEFAULT_PROFILE + " when embedded)")
  String profile;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "a Spark property (repeatable)")
  List<String> conf = new java.util.ArrayList<>();

  /** The resolved Spark properties (see {@link SparkSettings} for the precedence). */
  Map<String, String> resolve(Job job) {
    return resolve(job, true);
  }

  /**
   * {@link #resolve} for a sweep, whose JVMs compile under {@link JitScope}: this one from now on,
   * its executors as they start ({@link JitPlugin}, added to the settings).
   */
  Map<String, String> resolveSweep(Job job) {
    JitScope.apply();
    return JitPlugin.added(resolve(job));
  }

  /** Whether {@code --master} names a cluster (not a local master). */
  boolean namesCluster() {
    return master != null && !master.startsWith("local");
  }

  /**
   * The resolved Spark properties; {@code runs}: this JVM is about to be a driver (a cluster master
   * then needs spark-submit; {@code plan} runs nothing and reads the cluster itself).
   */
  Map<String, String> resolve(Job job, boolean runs) {
    Map<String, String> submitted = SparkSettings.submitted();
    Map<String, String> profileProps = Map.of();
    boolean embedded = !submitted.containsKey("spark.master");
    if (runs && embedded && namesCluster()) {
      // this JVM would be the driver without the application jar: every task would fail on its
      // executor
      throw new BadInputException(
          "--master "
              + master
              + " needs spark-submit to send the application jar to the"
              + " cluster; set SPARK_HOME to a Spark 4.0.1 installation, put spark-submit on the PATH, or set"
              + " LLM_SWEEP_SPARK_SUBMIT=builtin (Spark's SparkSubmit from this project's classpath)");
    }
    if (profile != null) {
      profileProps = SparkSettings.profile(profile, BuildInfo.home());
    } else if (embedded && namesCluster()) {
      // plan against a cluster: the profile ./submit would give spark-submit, the master's kind on
      // CPU
      profileProps =
          SparkSettings.profile(
              master.startsWith("yarn")
                  ? "yarn-cpu"
                  : master.startsWith("k8s://") ? "k8s-cpu" : "standalone-cpu",
              BuildInfo.home());
    } else if (embedded
        && BuildInfo.home()
            .resolve("conf")
            .resolve(DEFAULT_PROFILE + ".properties")
            .toFile()
            .isFile()) {
      // the embedded profile (loopback only) when this JVM runs Spark itself
      profileProps = SparkSettings.profile(DEFAULT_PROFILE, BuildInfo.home());
    }
    Map<String, String> cli = new LinkedHashMap<>();
    for (String kv : conf) {
      int eq = kv.indexOf('=');
      if (eq <= 0 || !kv.startsWith("spark.")) {
        throw new BadInputException("--conf " + kv + ": expected spark.KEY=VALUE");
      }
      cli.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    if (master != null) {
      cli.put("spark.master", master);
    }
    Map<String, String> settings =
        SparkSettings.resolve(
            profileProps, submitted, job == null ? Map.of() : job.sparkConf(), cli);
    if (job != null
        && !cli.containsKey("spark.app.name")
        && !job.sparkConf().containsKey("spark.app.name")) {
      settings.put("spark.app.name", "llm-sweep " + job.name());
    }
    return settings;
  }
}
