package dev.llmsweep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shipped endpoint jobs plan as their comments say (no server needed to plan), and an endpoint
 * point's id differs from the built-in point of the same axes (a run never mixes them up).
 */
class EndpointPlanTest {
  @Test
  void theVllmAndTrtllmJobsPlanOneServerPerGpuExecutorWithBatchAndLoadSweeps() {
    for (String file : List.of("jobs/vllm-mistral-7b.conf", "jobs/trtllm-mistral-7b.conf")) {
      Plan plan = Planner.plan(Path.of(file));
      assertEquals(8 + 6, plan.points().size(), file);
      for (Point p : plan.points()) {
        assertTrue(
            p.serving().isEndpoint()
                && p.serving().server().command().contains("{gpu}")
                && p.serving().server().command().contains("{port}"),
            file);
        assertEquals("gpu", p.model().device());
        assertEquals("mistralai/Mistral-7B-Instruct-v0.3", p.model().name());
      }
      Set<Double> rates =
          plan.points().stream()
              .filter(p -> p.serving().load().openLoop())
              .map(p -> p.serving().load().requestRate())
              .collect(Collectors.toSet());
      assertEquals(Set.of(1.0, 2.0, 4.0, 8.0, 16.0, 32.0), rates, file);
    }
  }

  @Test
  void theEndpointQuickstartPlansSixPointsAndEndpointIdsDifferFromBuiltInOnes() {
    Plan plan = Planner.plan(Path.of("jobs/endpoint-quickstart.conf"));
    assertEquals(6, plan.points().size());
    Point first = plan.points().get(0);
    assertEquals(
        "http://127.0.0.1:8000/v1",
        first.serving().endpoint(),
        "the default when LLM_SWEEP_ENDPOINT is unset");
    Point builtIn =
        new Point(
            first.identity(),
            first.model(),
            first.shape(),
            first.sampling(),
            first.measurement(),
            first.stopping());
    assertNotEquals(
        first.pointId(),
        PointIds.of(
            first.identity().experiment(),
            builtIn.model(),
            builtIn.shape(),
            builtIn.sampling(),
            builtIn.measurement(),
            builtIn.stopping()));
    Point open = plan.points().get(5);
    assertEquals(160.0, open.serving().load().requestRate());
    assertEquals(
        2 * 20 + 1, open.requests(), "two repetitions of 20 requests and one warm-up request");
  }
}
