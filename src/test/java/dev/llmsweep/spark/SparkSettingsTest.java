package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.errors.BadInputException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one resolver: command line > job file > spark-submit > profile > defaults; the shipped
 * profiles parse.
 */
class SparkSettingsTest {
  @Test
  void precedence() {
    Map<String, String> s =
        SparkSettings.resolve(
            Map.of(
                "spark.master",
                "spark://profile:7077",
                "spark.executor.memory",
                "1g",
                "spark.task.cpus",
                "2"),
            Map.of("spark.executor.memory", "2g", "spark.task.cpus", "3"),
            Map.of("spark.task.cpus", "4"),
            Map.of());
    assertEquals("spark://profile:7077", s.get("spark.master"));
    assertEquals("2g", s.get("spark.executor.memory"));
    assertEquals("4", s.get("spark.task.cpus"));
    assertEquals("true", s.get("spark.executorEnv.DJL_OFFLINE"));
    assertFalse(s.containsKey("spark.driver.host"), "a cluster driver is not pinned to loopback");
    Map<String, String> cli =
        SparkSettings.resolve(
            Map.of("spark.master", "spark://x:7077"),
            Map.of(),
            Map.of(),
            Map.of("spark.master", "local[2]"));
    assertEquals("local[2]", cli.get("spark.master"));
    assertEquals("127.0.0.1", cli.get("spark.driver.host"), "local masters listen on loopback");
  }

  @Test
  void shippedProfilesRequestGpusAndStayOffline() {
    for (String name : new String[] {"standalone-gpu", "k8s-gpu", "yarn-gpu"}) {
      Map<String, String> p = SparkSettings.profile(name, Path.of("."));
      assertEquals("1", p.get("spark.executor.resource.gpu.amount"), name);
      assertEquals("1", p.get("spark.task.resource.gpu.amount"), name);
      assertEquals("true", p.get("spark.executorEnv.DJL_OFFLINE"), name);
    }
    assertEquals("local[1]", SparkSettings.profile("local-cpu", Path.of(".")).get("spark.master"));
    BadInputException e =
        assertThrows(BadInputException.class, () -> SparkSettings.profile("nope", Path.of(".")));
    assertTrue(
        e.getMessage()
            .contains(
                "accepted: a properties file, or one of k8s-cpu, k8s-gpu, local-cpu,"
                    + " standalone-cpu, standalone-gpu, yarn-cpu, yarn-gpu"),
        e.getMessage());
  }
}
