package dev.llmsweep.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.FinishReason;
import dev.llmsweep.engine.RequestOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metric definitions of docs/schema.md, on hand-made nanosecond stamps. */
class MetricsTest {
  private static final long MS = 1_000_000L;

  @Test
  void requestMetricsFollowTheDefinitions() {
    long submit = 1_000 * MS;
    long[] tokens = {submit + 50 * MS, submit + 60 * MS, submit + 75 * MS, submit + 80 * MS};
    RequestMetrics m = RequestMetrics.of(submit, tokens);
    assertEquals(4, m.outputTokens());
    assertEquals(50.0, m.ttftMs(), 1e-9);
    assertArrayEquals(new double[] {10, 15, 5}, m.itlMs(), 1e-9);
    assertEquals(80.0, m.e2eMs(), 1e-9);
    assertEquals((80.0 - 50.0) / 3, m.tpotMs(), 1e-9);
  }

  @Test
  void oneTokenHasNoTpotAndNoGaps() {
    RequestMetrics m = RequestMetrics.of(0, new long[] {7 * MS});
    assertEquals(7.0, m.ttftMs(), 1e-9);
    assertEquals(7.0, m.e2eMs(), 1e-9);
    assertEquals(0, m.itlMs().length);
    assertTrue(Double.isNaN(m.tpotMs()));
  }

  @Test
  void batchMetricsSplitPrefillFromDecodeSteps() {
    long submit = 0;
    long[] steps = {20 * MS, 25 * MS, 31 * MS};
    RequestOutput a =
        new RequestOutput(3, new int[] {5, 6, 7}, steps, null, FinishReason.LENGTH, submit);
    RequestOutput b =
        new RequestOutput(
            2, new int[] {8, 2}, new long[] {20 * MS, 25 * MS}, null, FinishReason.EOS, submit);
    BatchMetrics m = BatchMetrics.of(new BatchOutput(submit, steps, 32 * MS, List.of(a, b)));
    assertEquals(20.0, m.prefillMs(), 1e-9);
    assertArrayEquals(new double[] {5, 6}, m.decodeStepMs(), 1e-9);
    assertEquals(32.0, m.batchLatencyMs(), 1e-9);
    assertEquals(5, m.generatedTokens());
    assertEquals(5 / 0.032, m.outputTokensPerSecond(), 1e-6);
  }
}
