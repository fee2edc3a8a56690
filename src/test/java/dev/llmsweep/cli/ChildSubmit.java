package dev.llmsweep.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code Main ARGS} in a child JVM on this test's classpath (1 GB heap, the JVM flags Spark needs,
 * DJL offline, Spark on loopback), its output and errors to a log: for tests that run sweeps side
 * by side or stop one with a signal.
 */
final class ChildSubmit {
  private ChildSubmit() {}

  static Process start(Path log, String... args) throws IOException {
    return start(log, List.of(), args);
  }

  /**
   * {@link #start} with the quick JIT tier alone (C1, the tiered default's 240 MB code cache), as
   * {@code ./submit} runs the analysis commands: for a child whose time is Spark planning (a tiny
   * sweep, then its points table, comparison and report), about half the CPU of C2's compiling in a
   * short-lived JVM. Not for an engine that must run at full speed: the CPU kernels need C2.
   */
  static Process startQuickJit(Path log, String... args) throws IOException {
    return start(log, List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m"), args);
  }

  private static Process start(Path log, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx1g");
    cmd.addAll(jvmOptions);
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            a ->
                a.startsWith("--add-opens")
                    || a.startsWith("--add-modules")
                    || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dio.netty"))
        .forEach(cmd::add);
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(p -> Path.of(p).toAbsolutePath().toString())
            .reduce((a, b) -> a + File.pathSeparator + b)
            .orElseThrow());
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("RUST_FLAVOR", "cpu");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }
}
