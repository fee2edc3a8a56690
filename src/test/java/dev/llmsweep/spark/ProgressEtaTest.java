package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The progress line's ETA: not from the first point, which carries the model's load and warm-up.
 */
class ProgressEtaTest {
  @Test
  void theFirstPointGivesNoEtaAndTheRestGiveTheirRate() {
    // the quickstart's first point: 362 of 20,000 planned tokens after 6 s, almost all of it
    // start-up
    assertEquals("after the next point", ProgressListener.eta(1, 17, 20_000 - 362, 0, 0));
    // then 1,448 tokens in 1 s: 18,190 tokens left at 1,448 tok/s
    assertEquals("0:13", ProgressListener.eta(2, 17, 20_000 - 362 - 1_448, 1_448, 1.0));
    assertEquals("0:00", ProgressListener.eta(17, 17, 0, 19_638, 11.0));
  }
}
