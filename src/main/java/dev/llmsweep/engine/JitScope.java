package dev.llmsweep.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.management.JMException;
import javax.management.JMRuntimeException;
import javax.management.ObjectName;

/**
 * Keeps the optimising JIT compiler (C2) for the code a measurement runs: llm-sweep's own (the CPU
 * kernels, the decode loop, the endpoint client), DJL, the vector API, and the JDK's concurrency,
 * math and socket code; every other method (Spark, Scala, Hadoop, Parquet, the rest of the JDK) is
 * compiled by the quick compiler (C1) alone, as the analysis commands already run everything.
 *
 * <p>Why: a sweep's JVM is short-lived and spent most of its compiler time on Spark's planner, Java
 * serialisation and class loading, none of which is measured. A 2-point run of the tiny model
 * compiled for 37 s of CPU (C2 28 s) in a 45 s-CPU life; with this scope 11 s (C2 3 s), and its
 * user CPU fell from 45-53 s to 31 s (2-core AMD EPYC, 2026-12-07). Compiler threads that finish
 * sooner also leave the cores to the engine sooner: the warm-ups wait for the JIT to settle ({@code
 * spark.JitClock}).
 *
 * <p>Applied as a compiler directive through the JVM's diagnostic command (as {@code jcmd PID
 * Compiler.directives_add} would), so it needs no JVM flag (the flag's file would have to exist on
 * every worker, and the JVM prints a line on stdout for it); by a sweep's driver ({@code run},
 * {@code bench-harness}; {@code bench-client}, which times the endpoint client as a sweep runs it)
 * at its start ({@code SparkOptions.resolveSweep}) and by each executor as it starts ({@code
 * spark.JitPlugin}, in a sweep's settings) or, in a session without the plugin, before its first
 * model ({@code spark.ModelCache}); once per JVM. Not by the commands that analyse results: they
 * run on C1 alone already ({@code submit}), except {@code bench-views}, whose millions of rows want
 * C2 in Spark's operators. A sweep's own points table is its raw rows, thousands to a few hundred
 * thousand, aggregated on C1 here. A JVM without the command (not HotSpot) runs as before, as does
 * one started with {@code -Dllmsweep.jit=full} (in {@code LLM_SWEEP_JAVA_OPTS}, or {@code
 * spark.executor.extraJavaOptions} for executors).
 */
public final class JitScope {
  private static boolean applied;

  private JitScope() {}

  /** Adds the directives to this JVM once; later calls do nothing. */
  public static synchronized void apply() {
    if (applied) {
      return;
    }
    applied = true;
    if ("full".equals(System.getProperty("llmsweep.jit"))) {
      return;
    }
    Path file = null;
    try (InputStream in = JitScope.class.getResourceAsStream("jit-directives.json")) {
      file = Files.createTempFile("llm-sweep-jit-", ".json");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      ManagementFactory.getPlatformMBeanServer()
          .invoke(
              new ObjectName("com.sun.management:type=DiagnosticCommand"),
              "compilerDirectivesAdd",
              new Object[] {new String[] {file.toString()}},
              new String[] {String[].class.getName()});
    } catch (JMException | JMRuntimeException | UnsupportedOperationException e) {
      // not HotSpot, or the command is missing: every method keeps the JVM's default compilers
    } catch (IOException e) {
      throw new UncheckedIOException("the JIT directives could not be written to a file", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          file.toFile().deleteOnExit();
        }
      }
    }
  }
}
