package dev.llmsweep.compare;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a comparison tells the user when its figures could not be judged: a run whose every point
 * drifted or saw its machine change is inconclusive (exit 4), not "no significant regression".
 */
class ComparisonOutcomeTest {

  private static ComparisonRow row(int batch, String verdict) {
    return new ComparisonRow(
        new ComparisonRow.Setting("e", batch, 8, 4, 0.7, 0.9, 0, 0, 0),
        new ComparisonRow.Figures("ttft_p50", "ms", 10.0, 25.0, 40L, 40L, 10L, 10L, false),
        new ComparisonRow.Test(2.5, 2.0, 3.0, null, verdict),
        new ComparisonRow.Environment(null));
  }

  private static Comparison of(String... verdicts) {
    RunEnvironment none = RunEnvironment.unknown("r");
    List<ComparisonRow> rows = Stream.of(verdicts).map(v -> row(1 + verdicts.length, v)).toList();
    return new Comparison(
        "r",
        "b",
        new ComparePointsFunction.Settings(0.10, 0.95, 200, 0),
        "t",
        rows,
        List.of("b"),
        RunSpread.none(1),
        none,
        List.of(),
        EnvironmentChange.of(none, RunEnvironment.unknown("b"), 0.10));
  }

  private static String summary(Comparison c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ComparisonReport.print(c, new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void figuresAllUnstableOrEnvChangedAreInconclusiveNotAPass() {
    Comparison c = of("unstable", "env changed", "too few calls");
    assertTrue(c.nothingJudged());
    assertTrue(c.inconclusive(), "exit 4");
    assertFalse(c.regressed());
    String s = summary(c);
    assertTrue(s.contains("inconclusive: no figure could be judged (1 unstable, 1 env changed"), s);
    assertFalse(s.contains("no significant regression"), s);
  }

  @Test
  void oneJudgedFigureIsEnoughToPass() {
    Comparison c = of("unstable", "no significant change");
    assertFalse(c.nothingJudged());
    assertFalse(c.inconclusive());
    assertTrue(summary(c).contains("no significant regression"), summary(c));
  }
}
