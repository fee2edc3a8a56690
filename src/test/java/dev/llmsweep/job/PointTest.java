package dev.llmsweep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmsweep.engine.SamplingParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A point's id and its trip to an executor. */
class PointTest {
  private static final Point SYNTHETIC =
      Point.of(
          "batch_sweep",
          3,
          new Point.ModelChoice("tiny", "float32", "cpu"),
          Point.Shape.synthetic(8, 128, 64),
          new SamplingParams(0.7, 0.9, 0, 0),
          new Point.Measurement(5, 1, true, 600, SteadyState.fixed(1)),
          Point.Stopping.never());
  private static final Point LITERAL =
      Point.of(
          "lit",
          0,
          new Point.ModelChoice("tiny", "float16", "gpu"),
          new Point.Shape(2, 16, 9, List.of("Hello", "World")),
          new SamplingParams(0.0, 1.0, 40, 7),
          new Point.Measurement(3, 0, false, 0, new SteadyState(10, 0.05, 60, 30)),
          new Point.Stopping(false, List.of("</s>", "\n\n")));

  @Test
  void idsAreThoseOfEarlierRuns() {
    // computed by the PointIds of the flat 20-field Point: runs written before it was split must
    // resume
    assertEquals("2a91232020a84c1f", SYNTHETIC.pointId());
    assertEquals("f0913c3155bc71cf", LITERAL.pointId());
  }

  @Test
  void timeLimitAndSteadyStateAreNotPartOfTheId() {
    Point other =
        Point.of(
            "batch_sweep",
            3,
            SYNTHETIC.model(),
            SYNTHETIC.shape(),
            SYNTHETIC.sampling(),
            new Point.Measurement(5, 1, true, 0, new SteadyState(20, 0.1, 30, 5)),
            SYNTHETIC.stopping());
    assertEquals(SYNTHETIC.pointId(), other.pointId());
  }

  @Test
  void aPointTravelsWhole() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(LITERAL);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(LITERAL, in.readObject());
    }
  }
}
