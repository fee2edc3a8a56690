package dev.llmsweep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.spark.JitClock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The client benchmark counts what it says: every chunk of every measured request set against the
 * server's stamp, every request's submit-to-receive delay. No timing is asserted (a loaded machine
 * passes too); only that the figures exist, are ordered, and cover every chunk.
 */
class ClientBenchmarkTest {
  @Test
  void everyChunkOfEveryMeasuredRequestIsSetAgainstTheServersStamp() throws Exception {
    List<ClientBenchmark.Figures> figures =
        ClientBenchmark.run(new int[] {4, 2}, new int[] {2, 1}, 5, 5, 2);
    assertEquals(2, figures.size());
    ClientBenchmark.Figures f = figures.get(0);
    assertEquals(4, f.batch());
    assertEquals(0, f.failed());
    assertEquals(4 * 2 * 5, f.chunks(), "4 requests x 2 calls x 5 tokens");
    assertEquals(2 * 1 * 5, figures.get(1).chunks());
    assertTrue(f.late() >= 0 && f.late() <= f.chunks());
    assertTrue(f.lateP99Ms() <= f.lateMaxMs() && f.lateMaxMs() > -1, f.toString());
    assertTrue(
        f.submitToReceiveP50Ms() >= 0 && f.submitToReceiveP50Ms() <= f.submitToReceiveP99Ms(),
        "the server receives a request after the client stamps its start: " + f);
  }

  /**
   * The warm-ups end on two still calls in a row, not one: a JIT that went quiet for a call and
   * then compiled again (as it did after 4 warm-ups, then 283-422 ms in the measured calls) keeps
   * them going; one that never stays still runs them to the cap, and the line then says so.
   */
  @Test
  void warmUpsEndOnlyAfterTwoStillCallsInARow() throws Exception {
    // the JIT compiles 50 ms during the calls marked true, nothing during the others
    assertEquals(
        new ClientBenchmark.WarmUp(5, true),
        ClientBenchmark.warmUp(jitCompilingDuring(true, true, true, false, false, true), k -> {}));
    assertEquals(
        new ClientBenchmark.WarmUp(6, true),
        ClientBenchmark.warmUp(jitCompilingDuring(true, false, true, true, false, false), k -> {}),
        "a still call between two busy ones does not count");
    ClientBenchmark.WarmUp never =
        ClientBenchmark.warmUp(
            jitCompilingDuring(
                true, false, true, false, true, false, true, false, true, false, true, false, true,
                false, true, false, true, false, true, false, true, false),
            k -> {});
    assertEquals(ClientBenchmark.WARMUP_MAX, never.calls());
    assertFalse(never.still());
  }

  /**
   * A JIT clock over a script of calls: the {@code k}-th window's call compiled 50 ms when {@code
   * busy[k]} (the clock moves when the call's window is read at its end).
   */
  private static JitClock jitCompilingDuring(boolean... busy) {
    AtomicLong compiled = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    return () -> {
      // the warm-up reads the clock twice a call: at the window's start and at its end
      long read = reads.getAndIncrement();
      if (read % 2 == 1 && busy[(int) (read / 2)]) {
        compiled.addAndGet(50);
      }
      return compiled.get();
    };
  }
}
