package dev.llmsweep.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;

/**
 * Executors that exit before they register with the driver (driver side): the listener never hears
 * of them, and a standalone master relaunches them until it gives up, so the run looked like a
 * cluster short of cores. Most often the workers cannot reach the address the driver gave them (a
 * host with several interfaces picked one they cannot route to). Read from the master's record of
 * its workers and each worker's record of its finished executors (their web UIs' JSON) and the last
 * lines of such an executor's stderr.
 */
final class DriverReach {
  /** Executors of this application that may exit before the run says why. */
  static final int EXITS = 2;

  private DriverReach() {}

  /**
   * Null while fewer than {@link #EXITS} of the application's executors have exited; else what to
   * do.
   */
  static String check(SparkContext sc, Map<String, String> settings) {
    String ui = ClusterFit.masterUi(settings);
    JsonNode master = ui == null ? null : json(ui.replaceAll("/+$", "") + "/json/");
    if (master == null) {
      return null;
    }
    String app = sc.applicationId();
    List<String> exited = new ArrayList<>();
    String said = null;
    for (JsonNode w : master.path("workers")) {
      String workerUi = w.path("webuiaddress").asText("");
      JsonNode worker = workerUi.isEmpty() ? null : json(workerUi + "/json/");
      if (worker == null) {
        continue;
      }
      for (JsonNode e : worker.path("finishedexecutors")) {
        if (app.equals(e.path("appid").asText())) {
          String id = e.path("id").asText();
          exited.add(id + " on " + w.path("host").asText());
          said = said != null ? said : cause(workerUi, app, id);
        }
      }
    }
    if (exited.size() < EXITS) {
      return null;
    }
    String driver =
        sc.getConf().get("spark.driver.host", "?")
            + ":"
            + sc.getConf().get("spark.driver.port", "?");
    return exited.size()
        + " executors of "
        + app
        + " exited before registering with the driver ("
        + String.join(", ", exited)
        + "): they were given the driver's address "
        + driver
        + " (spark.driver.host:"
        + "spark.driver.port)"
        + (said != null ? " and said: " + said : ", most often because they cannot reach it")
        + "; set"
        + " SPARK_LOCAL_IP (or --conf spark.driver.host=ADDRESS) on this host to an address the workers can route"
        + " to, and let them reach its driver and block manager ports (docs/clusters.md, \"Several hosts\")";
  }

  /**
   * The executor's own words: the last "Failed to connect" / "Caused by" line of its stderr, if the
   * worker serves it.
   */
  private static String cause(String workerUi, String app, String id) {
    String url =
        workerUi
            + "/log?appId="
            + URLEncoder.encode(app, StandardCharsets.UTF_8)
            + "&executorId="
            + id
            + "&logType=stderr&byteLength=65536";
    String text = text(url);
    if (text == null) {
      return null;
    }
    String found = null;
    for (String line : text.split("\n")) {
      if (line.contains("Failed to connect to") || line.contains("Caused by:")) {
        found = line.strip();
      }
    }
    return found;
  }

  private static JsonNode json(String url) {
    String t = text(url);
    try {
      return t == null ? null : new ObjectMapper().readTree(t);
    } catch (Exception e) {
      return null;
    }
  }

  private static String text(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(3000);
      try (InputStream in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (Exception e) {
      return null; // no UI there: the run goes on waiting, and says what it can when the wait ends
    }
  }
}
