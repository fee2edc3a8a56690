package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.engine.Offline;
import dev.llmsweep.spark.SparkSettings;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Nothing listens on a non-loopback address unless configured, and DJL never goes online: the
 * launcher script's environment and JVM properties, the embedded profile, the settings resolver's
 * local defaults, the analysis commands' embedded session (its RPC and block manager addresses are
 * loopback, no UI), and the properties {@code Main} applies for embedded callers.
 */
class OfflineAndLoopbackTest {

  @Test
  void theLauncherRunsDjlOfflineWithoutTelemetryAndEmbeddedSparkOnLoopback() throws Exception {
    String submit = Files.readString(Path.of("submit"));
    assertTrue(submit.contains("\nexport DJL_OFFLINE=true\n"), "DJL_OFFLINE exported");
    assertTrue(submit.contains("\nexport OPT_OUT_TRACKING=true\n"), "OPT_OUT_TRACKING exported");
    assertTrue(
        submit.contains("props=(-Dai.djl.offline=true "), "the JVM property on every java command");
    assertTrue(
        submit.contains("exec \"${spark_submit[@]}\" \"${submit_opts[@]}\""),
        "spark-submit gets the same options");
    assertTrue(
        submit.contains("--driver-java-options \"--add-modules jdk.incubator.vector ${props[*]}\""),
        "spark-submit's driver gets the offline property");
    assertTrue(
        submit.contains("--add-modules jdk.incubator.vector -Dai.djl.offline=true\""),
        "spark-submit's executors get it too");
    assertTrue(
        submit.contains("--conf \"spark.executor.extraJavaOptions=$executor_opts\""),
        "as their Java options");
    assertTrue(
        submit.contains("export SPARK_LOCAL_IP=\"${SPARK_LOCAL_IP:-127.0.0.1}\""),
        "the default local profile binds Spark to loopback");
    assertTrue(
        submit.contains("-cp \"$cp\" dev.llmsweep.cli.Main"),
        "the embedded launch is the one checked above");
  }

  @Test
  void theEmbeddedProfileAndLocalDefaultsListenOnLoopbackWithoutUi() {
    Map<String, String> profile = SparkSettings.profile("local-cpu", Path.of("."));
    assertEquals("127.0.0.1", profile.get("spark.driver.host"));
    assertEquals("127.0.0.1", profile.get("spark.driver.bindAddress"));
    assertEquals("false", profile.get("spark.ui.enabled"));
    assertEquals("true", profile.get("spark.executorEnv.DJL_OFFLINE"));
    assertEquals("true", profile.get("spark.executorEnv.OPT_OUT_TRACKING"));
    // any local master, even without the profile
    Map<String, String> local =
        SparkSettings.resolve(Map.of(), Map.of(), Map.of(), Map.of("spark.master", "local[4]"));
    assertEquals("127.0.0.1", local.get("spark.driver.bindAddress"));
    assertEquals("127.0.0.1", local.get("spark.driver.host"));
    assertEquals("false", local.get("spark.ui.enabled"));
    assertEquals("true", local.get("spark.executorEnv.DJL_OFFLINE"));
    // a cluster driver must be reachable: no loopback default there, only what is configured
    Map<String, String> cluster =
        SparkSettings.resolve(
            Map.of(), Map.of(), Map.of(), Map.of("spark.master", "spark://head:7077"));
    assertFalse(cluster.containsKey("spark.driver.bindAddress"));
    assertEquals("true", cluster.get("spark.executorEnv.DJL_OFFLINE"));
  }

  @Test
  void theAnalysisSessionListensOnLoopbackOnly() throws Exception {
    SparkSession spark = SparkSettings.analysisSession();
    try {
      String rpc = SparkEnv.get().rpcEnv().address().host();
      String blocks = SparkEnv.get().blockManager().blockManagerId().host();
      assertTrue(InetAddress.getByName(rpc).isLoopbackAddress(), "driver RPC on " + rpc);
      assertTrue(InetAddress.getByName(blocks).isLoopbackAddress(), "block manager on " + blocks);
      assertTrue(spark.sparkContext().uiWebUrl().isEmpty(), "no Spark UI");
    } finally {
      spark.stop();
    }
  }

  @Test
  void mainAppliesDjlsOfflineProperties() {
    Offline.apply();
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
  }
}
