package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.cli.Submit.Outcome;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.errors.ModelFormatException;
import dev.llmsweep.store.MissingResultsException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * What a user sees when a command throws: their bad input is one line and exit 2; anything else is
 * a bug or a failure, shown as such: exit 1 and the stack trace, so it can be reported. An {@link
 * IllegalArgumentException} from inside the code is no longer taken for bad input.
 */
class ErrorHandlerTest {

  @Command(name = "throws")
  static final class Throws implements Callable<Integer> {
    private final RuntimeException e;

    Throws(RuntimeException e) {
      this.e = e;
    }

    @Override
    public Integer call() {
      throw e;
    }
  }

  private static Outcome run(RuntimeException e) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Throws(e));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(new ErrorHandler());
    int code = cli.execute();
    return new Outcome(code, "", err.toString());
  }

  @Test
  void anInternalInvariantIsExitOneWithItsStackTrace() {
    Outcome r = run(new IllegalStateException("a KV cache of batch 9 x 10 positions is too large"));
    assertEquals(1, r.code(), r.err());
    assertTrue(
        r.err().startsWith("failed: a KV cache of batch 9 x 10 positions is too large\n"), r.err());
    assertTrue(
        r.err().contains("java.lang.IllegalStateException") && r.err().contains("\tat "), r.err());
  }

  @Test
  void anIllegalArgumentFromTheCodeIsABugNotBadInput() {
    Outcome r = run(new IllegalArgumentException("weight has 5 values, not 2 x 3"));
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("\tat "), r.err());
  }

  @Test
  void badInputIsExitTwoWithOneLine() {
    for (RuntimeException e :
        new RuntimeException[] {
          new ModelFormatException(
              Path.of("m/config.json"), "required key 'hidden_size' is missing"),
          new MissingResultsException("no run 'x' under file:/r; runs there: a"),
          new BadInputException("--limit must be at least 1")
        }) {
      Outcome r = run(e);
      assertEquals(2, r.code(), r.err());
      assertEquals("error: " + e.getMessage(), r.err().strip());
    }
  }

  @Test
  void aBadArgumentToARealCommandIsExitTwo() {
    Outcome r = Submit.run("generate", "--prompt", "hi", "--device", "tpu:0", "--max-tokens", "2");
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err().startsWith("error: device 'tpu:0' is not valid: accepted are cpu, gpu, gpu:N"),
        r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }
}
