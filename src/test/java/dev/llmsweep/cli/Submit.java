package dev.llmsweep.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code submit} in-process, as tests do (the one CLI runner of the tests): the exit code and
 * what it printed on each stream, picocli's (usage, errors) and the commands' own {@code
 * System.out}/{@code System.err} (a run's progress and summary) alike. Not for concurrent calls: it
 * swaps the JVM's standard streams while the command runs.
 */
public final class Submit {
  private Submit() {}

  public record Outcome(int code, String out, String err) {}

  public static Outcome run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8);
        PrintWriter wo = new PrintWriter(po, true);
        PrintWriter we = new PrintWriter(pe, true)) {
      System.setOut(po);
      System.setErr(pe);
      int code = Main.execute(wo, we, args);
      wo.flush();
      we.flush();
      return new Outcome(
          code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
