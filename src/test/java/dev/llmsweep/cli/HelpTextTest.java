package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} renders cleanly: a description with a bare {@code %} (picocli
 * formats descriptions) printed "[picocli WARN] Could not format ..." above recommend's usage.
 */
class HelpTextTest {

  @Test
  void everyCommandsHelpRendersWithoutWarnings() {
    Map<String, String> warnings = new TreeMap<>();
    PrintStream err = System.err;
    for (Map.Entry<String, CommandLine> sub :
        new CommandLine(new Main()).getSubcommands().entrySet()) {
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        sub.getValue().getUsageMessage();
      } finally {
        System.setErr(err);
      }
      String text = captured.toString(StandardCharsets.UTF_8);
      if (!text.isEmpty()) {
        warnings.put(sub.getKey(), text);
      }
    }
    assertEquals(Map.of(), warnings);
  }
}
