package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import dev.llmsweep.store.FailureReason;
import org.junit.jupiter.api.Test;

/** How a point's exception becomes the reason recorded, and which reasons close the model. */
class FailureClassifierTest {
  @Test
  void outOfMemoryFromTheJvmOrFromPyTorchAnywhereInTheCauseChain() {
    assertEquals(
        FailureReason.OUT_OF_MEMORY,
        FailureClassifier.reason(new OutOfMemoryError("Java heap space")));
    assertEquals(
        FailureReason.OUT_OF_MEMORY,
        FailureClassifier.reason(
            new RuntimeException(
                "generate failed",
                new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB"))));
    assertTrue(FailureReason.OUT_OF_MEMORY.discardsModel());
  }

  @Test
  void deviceErrorsTimeoutsAndTheRest() {
    assertEquals(
        FailureReason.DEVICE_ERROR,
        FailureClassifier.reason(
            new EngineException("CUDA error: an illegal memory access was encountered")));
    assertEquals(
        FailureReason.DEVICE_ERROR,
        FailureClassifier.reason(new EngineException("native call failed")));
    assertTrue(FailureReason.DEVICE_ERROR.discardsModel());
    assertEquals(
        FailureReason.TIMEOUT, FailureClassifier.reason(new PointTimeoutException("past 5 s")));
    assertFalse(FailureReason.TIMEOUT.discardsModel(), "a timeout leaves a healthy model loaded");
    assertEquals(
        FailureReason.ERROR,
        FailureClassifier.reason(new IllegalStateException("stop strings need text")));
    assertFalse(FailureReason.ERROR.discardsModel());
    assertEquals("timeout", FailureReason.TIMEOUT.label());
  }

  @Test
  void theMessageHasTheFirstLineOfEachCause() {
    Throwable e =
        new RuntimeException(
            "engine call failed", new IllegalStateException("CUDA out of memory\ndetails"));
    assertEquals("engine call failed <- CUDA out of memory", FailureClassifier.message(e));
  }
}
