package dev.llmsweep.cli;

import dev.llmsweep.analysis.SqlScript;
import dev.llmsweep.errors.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive SQL shell of {@code submit sql} (driver side): statements end with {@code ;} and
 * may span lines, on one warm session whose views are each created (and materialised) once, when a
 * statement first reads them. On a terminal, JLine gives line editing and history ({@code
 * ~/.llm-sweep_history}); from a pipe or file (scripts, tests) lines are read plainly and no prompt
 * is printed. Meta-commands: {@code \d} lists the views, {@code \d VIEW} its columns, {@code \q}
 * quits; Spark's own {@code SHOW VIEWS}, {@code DESCRIBE} work as well.
 */
final class SqlShell {
  static final String HELP =
      "statements end with ';' (several lines are fine); \\d lists the views, \\d VIEW its"
          + " columns, SHOW VIEWS; and DESCRIBE VIEW; work too; \\q or Ctrl-D quits";

  private final SqlRunner runner;
  private final PrintStream out;
  private final PrintStream err;
  private int failed;

  SqlShell(SqlRunner runner, PrintStream out, PrintStream err) {
    this.runner = runner;
    this.out = out;
    this.err = err;
  }

  /**
   * Reads statements until end of input or {@code \q}; returns 0, or 2 when a statement of piped
   * input failed.
   */
  int run(InputStream in, boolean terminal) {
    Lines lines = terminal ? jline() : plain(in);
    StringBuilder statement = new StringBuilder();
    try {
      while (true) {
        String line = lines.read(statement.length() == 0 ? "sql> " : "  -> ");
        if (line == null) {
          break;
        }
        String t = line.strip();
        if (statement.length() == 0
            && (t.startsWith("\\") || t.equalsIgnoreCase("quit") || t.equalsIgnoreCase("exit"))) {
          if (!meta(t)) {
            break;
          }
          continue;
        }
        statement.append(line).append('\n');
        if (t.endsWith(";")) {
          executeAll(statement.toString());
          statement.setLength(0);
        }
      }
      if (!statement.toString().isBlank()) {
        executeAll(statement.toString()); // a last statement without ';'
      }
    } finally {
      lines.close();
    }
    return terminal || failed == 0 ? 0 : ErrorHandler.BAD_INPUT;
  }

  /** Runs every statement of {@code text} (a script, or what the shell collected). */
  void executeAll(String text) {
    for (String s : SqlScript.parse(text).statements()) {
      try {
        runner.execute(s, true);
      } catch (BadInputException e) {
        failed++;
        err.println("error: " + e.getMessage());
      } catch (RuntimeException e) {
        failed++;
        err.println(
            "failed: "
                + (e.getMessage() == null
                    ? e.toString()
                    : e.getMessage().lines().findFirst().orElse("")));
      }
    }
  }

  int failed() {
    return failed;
  }

  /** A meta-command; false for quit. */
  private boolean meta(String command) {
    String[] words = command.split("\\s+");
    switch (words[0].toLowerCase(java.util.Locale.ROOT)) {
      case "\\q", "quit", "exit" -> {
        return false;
      }
      case "\\d" -> {
        Map<String, List<String>> views = runner.describeViews();
        if (words.length == 1) {
          views.forEach((v, columns) -> out.println(v + " (" + columns.size() + " columns)"));
        } else if (views.containsKey(words[1])) {
          views.get(words[1]).forEach(c -> out.println("  " + c));
        } else {
          err.println(
              "error: no view '" + words[1] + "'; views: " + String.join(", ", views.keySet()));
        }
      }
      default -> out.println(HELP);
    }
    out.flush();
    return true;
  }

  /** Where lines come from. */
  private interface Lines extends AutoCloseable {
    /** The next line, or null at the end. */
    String read(String prompt);

    @Override
    void close();
  }

  private static Lines plain(InputStream in) {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return new Lines() {
      @Override
      public String read(String prompt) {
        try {
          return r.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void close() {}
    };
  }

  private Lines jline() {
    try {
      Terminal terminal = TerminalBuilder.builder().system(true).build();
      LineReader reader =
          LineReaderBuilder.builder()
              .terminal(terminal)
              .variable(
                  LineReader.HISTORY_FILE,
                  Path.of(System.getProperty("user.home"), ".llm-sweep_history"))
              .option(
                  LineReader.Option.DISABLE_EVENT_EXPANSION,
                  true) // '!' in SQL (!=) is no history event
              .build();
      out.println(HELP);
      return new Lines() {
        @Override
        public String read(String prompt) {
          while (true) {
            try {
              return reader.readLine(prompt);
            } catch (UserInterruptException e) {
              // Ctrl-C drops the line being typed, as in psql
            } catch (EndOfFileException e) {
              return null;
            }
          }
        }

        @Override
        public void close() {
          try {
            reader.getHistory().save();
            terminal.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
