package dev.llmsweep.spark;

import dev.llmsweep.errors.BadInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one resolver for Spark properties (driver side). Precedence, highest first: the command line
 * ({@code --master}), the job file's {@code spark { }} block, properties spark-submit set (its
 * {@code --properties-file} profile), the embedded profile ({@code conf/<name>.properties}), then
 * the defaults below.
 */
public final class SparkSettings {
  /**
   * Every default, defined once. Local mode runs one point at a time. llm-sweep keeps no tables in
   * Spark's warehouse (its views are temporary), so the warehouse is not left as an empty {@code
   * spark-warehouse/} in the directory a command ran from.
   */
  static final Map<String, String> DEFAULTS =
      Map.of(
          "spark.master", "local[1]",
          "spark.app.name", "llm-sweep",
          "spark.sql.warehouse.dir",
              Path.of(System.getProperty("java.io.tmpdir"), "llm-sweep-warehouse")
                  .toUri()
                  .toString(),
          "spark.executorEnv.DJL_OFFLINE", "true",
          "spark.executorEnv.OPT_OUT_TRACKING", "true");

  /**
   * Defaults for local masters only: listen on loopback, no UI (a cluster driver must be
   * reachable), and shuffles as wide as the machine: Spark's 200 partitions cost every shuffle 200
   * files per map task and, for a cached plan, 200 tasks, for a run's few thousand rows.
   */
  static final Map<String, String> LOCAL_DEFAULTS =
      Map.of(
          "spark.driver.host", "127.0.0.1",
          "spark.driver.bindAddress", "127.0.0.1",
          "spark.ui.enabled", "false",
          "spark.sql.shuffle.partitions",
              String.valueOf(Math.max(2, 2 * Runtime.getRuntime().availableProcessors())));

  private SparkSettings() {}

  /** Reads a profile: a Spark properties file, or {@code conf/<name>.properties} under home. */
  public static Map<String, String> profile(String nameOrFile, Path home) {
    Path file = Path.of(nameOrFile);
    if (!Files.isRegularFile(file)) {
      file = home.resolve("conf").resolve(nameOrFile + ".properties");
    }
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(
          "--conf-profile "
              + nameOrFile
              + ": no such profile; accepted: a properties"
              + " file, or one of "
              + available(home.resolve("conf")));
    }
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      props.load(r);
    } catch (IOException e) {
      throw new BadInputException(
          "--conf-profile " + file + " cannot be read: " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k).trim()));
    return out;
  }

  private static String available(Path conf) {
    try (var files = Files.list(conf)) {
      return String.join(
          ", ",
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".properties") && !n.startsWith("log4j"))
              .map(n -> n.substring(0, n.length() - ".properties".length()))
              .sorted()
              .toList());
    } catch (IOException e) {
      return "(no conf/ directory at " + conf + ")";
    }
  }

  /** Merges the layers by precedence; {@code submitted} are the spark.* system properties. */
  public static Map<String, String> resolve(
      Map<String, String> profile,
      Map<String, String> submitted,
      Map<String, String> jobFile,
      Map<String, String> commandLine) {
    Map<String, String> out = new LinkedHashMap<>(DEFAULTS);
    out.putAll(profile);
    out.putAll(submitted);
    out.putAll(jobFile);
    out.putAll(commandLine);
    if (out.get("spark.master").startsWith("local")) {
      Map<String, String> local = new LinkedHashMap<>(LOCAL_DEFAULTS);
      local.putAll(out);
      return local;
    }
    return out;
  }

  /** The spark.* system properties spark-submit passed to this JVM. */
  public static Map<String, String> submitted() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : System.getProperties().stringPropertyNames()) {
      if (k.startsWith("spark.")) {
        out.put(k, System.getProperty(k));
      }
    }
    return out;
  }

  /**
   * The one way a session starts (or joins the process's running context): with exactly these
   * properties, the job's resolved settings for a sweep.
   */
  public static SparkSession session(Map<String, String> settings) {
    SparkConf conf = new SparkConf(false);
    settings.forEach(conf::set);
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    // The views read globbed paths (raw/p-*/requests.parquet): Spark's FileStreamSink then asks for
    // the glob's file status as if it were a directory (to look for a streaming sink's metadata),
    // gets a FileNotFoundException and logs it as a warning with a stack trace, harmlessly. Set
    // once
    // the session runs: without a log configuration (-Dlog4j2.configurationFile, as ./submit gives)
    // Spark installs its own defaults while starting, which would undo an earlier setting.
    Configurator.setLevel("org.apache.spark.sql.execution.streaming.FileStreamSink", Level.ERROR);
    return spark;
  }

  /**
   * A new session (own temporary views and settings) for the analysis commands: on the context
   * spark-submit configured, or an embedded {@code local[*]} one (same resolver, loopback only).
   * Quiet: Spark's INFO logging would bury the answers.
   */
  public static SparkSession analysisSession() {
    if (!Logs.isVerbose()) {
      Configurator.setRootLevel(Level.WARN);
    }
    Map<String, String> embedded = new LinkedHashMap<>();
    if (!submitted().containsKey("spark.master")) {
      embedded.put("spark.master", "local[*]");
    }
    return session(resolve(Map.of(), submitted(), Map.of(), embedded)).newSession();
  }
}
