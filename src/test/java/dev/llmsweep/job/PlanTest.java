package dev.llmsweep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.cli.Submit;
import dev.llmsweep.cli.Submit.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans: how job files expand into points, the work they count, and stable point ids. */
class PlanTest {
  @TempDir Path dir;

  @Test
  void notebookJobIsTheSeedsThreeExperiments() {
    Plan plan = Planner.plan(Path.of("jobs/notebook.conf"));
    assertEquals(6 + 5 + 9, plan.points().size());
    List<Point> batch = points(plan, "batch_sweep");
    assertEquals(
        List.of(1, 8, 32, 128, 256, 512), batch.stream().map(p -> p.shape().batchSize()).toList());
    for (Point p : batch) {
      assertEquals(128, p.shape().maxTokens());
      assertEquals(10, p.measurement().repetitions());
      assertEquals(0.7, p.sampling().temperature());
      assertEquals(0.9, p.sampling().topP());
      assertTrue(p.measurement().ttftProxy());
      assertEquals("synthetic:mistral-7b-v0.3", p.model().name());
      assertEquals("float16", p.model().dtype());
      assertEquals("gpu", p.model().device());
    }
    List<Point> length = points(plan, "output_length_sweep");
    assertEquals(
        List.of(32, 64, 128, 256, 512), length.stream().map(p -> p.shape().maxTokens()).toList());
    assertTrue(
        length.stream()
            .allMatch(p -> p.shape().batchSize() == 128 && p.measurement().repetitions() == 5));
    List<Point> sampling = points(plan, "sampling_sweep");
    assertEquals(9, sampling.size());
    assertEquals(
        Set.of(0.0, 0.7, 1.3),
        sampling.stream().map(p -> p.sampling().temperature()).collect(Collectors.toSet()));
    assertEquals(
        Set.of(0.8, 0.9, 1.0),
        sampling.stream().map(p -> p.sampling().topP()).collect(Collectors.toSet()));
    assertTrue(
        sampling.stream()
            .allMatch(
                p ->
                    p.shape().batchSize() == 1
                        && p.shape().maxTokens() == 64
                        && p.measurement().repetitions() == 30));
    // batch sweep: (1 warm-up + 10 reps + 10 proxies) x batch; the others: (1 + reps) x batch
    long requests = (1 + 8 + 32 + 128 + 256 + 512) * 21L + 5 * 128 * 6L + 9 * 31L;
    assertEquals(requests, plan.requests());
  }

  @Test
  void quickstartPlanPrintsCountsAndWork() {
    Outcome r = Submit.run("plan", "jobs/quickstart.conf");
    assertEquals(0, r.code(), r.err());
    Plan plan = Planner.plan(Path.of("jobs/quickstart.conf"));
    assertEquals(17, plan.points().size());
    assertEquals(plan.points().stream().mapToLong(Point::requests).sum(), plan.requests());
    String totals =
        String.format(
            java.util.Locale.ROOT,
            "17 points, %d generate calls, %,d requests",
            plan.calls(),
            plan.requests());
    assertTrue(r.out().contains(totals), r.out());
    for (Point p : plan.points()) {
      assertTrue(r.out().contains(p.pointId()), "every point is listed: " + p.pointId());
    }
  }

  @Test
  void gridZipAndStableIds() throws IOException {
    Path f = dir.resolve("grid.conf");
    Files.writeString(
        f,
        """
        experiments = [
          { name = g, axes { prompt_tokens = [4, 8], batch_size = [1, 2, 4], max_tokens = [8, 16, 32],
                             seed = [1, 2] }
            zip = [[batch_size, max_tokens]], repetitions = 2, warmups = 0 }
        ]
        """);
    Plan plan = Planner.plan(f);
    // zip(batch_size, max_tokens) is one dimension of 3: 3 x 2 prompt lengths x 2 seeds
    assertEquals(12, plan.points().size());
    assertEquals(
        Set.of("1/8", "2/16", "4/32"),
        plan.points().stream()
            .map(p -> p.shape().batchSize() + "/" + p.shape().maxTokens())
            .collect(Collectors.toSet()));
    assertEquals(
        12, plan.points().stream().map(Point::pointId).distinct().count(), "ids are distinct");
    assertEquals(
        plan.points().stream().map(Point::pointId).toList(),
        Planner.plan(f).points().stream().map(Point::pointId).toList(),
        "ids are stable");
    Point p = plan.points().get(0);
    assertEquals(2L * p.shape().batchSize(), p.requests());
    int[] a = p.syntheticPrompt(0, 100);
    assertEquals(p.shape().promptTokens(), a.length);
    assertTrue(
        java.util.Arrays.equals(a, p.syntheticPrompt(0, 100)),
        "synthetic prompts are deterministic");
    assertNotEquals(
        java.util.Arrays.toString(a), java.util.Arrays.toString(p.syntheticPrompt(1, 100)));
  }

  private static List<Point> points(Plan plan, String experiment) {
    return plan.points().stream()
        .filter(p -> p.identity().experiment().equals(experiment))
        .toList();
  }
}
