package dev.llmsweep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
}
