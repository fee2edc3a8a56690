package dev.llmsweep.engine;

/**
 * DJL's offline settings, applied before the first DJL class loads: no downloads, no telemetry. The
 * launcher sets the environment variables too; these properties cover embedded callers.
 */
public final class Offline {
  private Offline() {}

  public static void apply() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
