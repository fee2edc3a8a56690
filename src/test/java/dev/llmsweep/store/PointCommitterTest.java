package dev.llmsweep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.engine.FinishReason;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.job.Point;
import dev.llmsweep.job.SteadyState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once commits without Spark: racing attempts of one point leave exactly one committed
 * copy, a later attempt leaves it untouched, and a failed attempt leaves nothing under raw/.
 */
class PointCommitterTest {
  @TempDir Path dir;

  private static final Point POINT =
      new Point(
          new Point.Identity("00000000000000aa", "e", 0),
          new Point.ModelChoice("tiny", "float32", "cpu"),
          Point.Shape.synthetic(2, 3, 4),
          new SamplingParams(0.7, 0.9, 0, 0),
          new Point.Measurement(1, 0, false, 0, SteadyState.fixed(0)),
          Point.Stopping.never());

  private static List<RequestRow> requests(String tag) {
    CallContext c =
        new CallContext(
            "run",
            POINT,
            0,
            false,
            false,
            3,
            new Placement("exec", "host", "1@host", "cpu", tag, null));
    List<RequestRow> rows = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      rows.add(
          new RequestRow(
              c,
              i,
              4,
              3,
              FinishReason.LENGTH,
              100,
              new long[] {200, 300, 400},
              0.0001,
              new double[] {0.0001, 0.0001},
              0.0001,
              0.0003));
    }
    return rows;
  }

  private static List<BatchRow> batches(String tag) {
    CallContext c =
        new CallContext(
            "run",
            POINT,
            0,
            false,
            false,
            3,
            new Placement("exec", "host", "1@host", "cpu", tag, null));
    return List.of(
        new BatchRow(
            c,
            4,
            100,
            500,
            new long[] {200, 300, 400},
            0.0004,
            0.0001,
            new double[] {0.0001, 0.0001},
            6));
  }

  @Test
  void racingAttemptsCommitExactlyOnce() throws Exception {
    RunStore store = RunStore.open(dir.toString(), new Configuration());
    PointCommitter committer = store.at("run").committer();
    int attempts = 6;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    List<Future<PointCommitter.Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < attempts; i++) {
      String tag = "attempt-" + i;
      Callable<PointCommitter.Outcome> attempt =
          () -> {
            go.await();
            return committer.commit(POINT.pointId(), requests(tag), batches(tag));
          };
      outcomes.add(pool.submit(attempt));
    }
    go.countDown();
    int committed = 0;
    for (Future<PointCommitter.Outcome> f : outcomes) {
      committed += f.get() == PointCommitter.Outcome.COMMITTED ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(1, committed, "exactly one attempt wins");
    assertEquals(Set.of(POINT.pointId()), store.at("run").committedPoints());
    Path pointDir = dir.resolve("run/raw/p-" + POINT.pointId());
    try (var files = Files.list(pointDir)) {
      assertEquals(
          Set.of("requests.parquet", "batches.parquet"),
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.endsWith(".crc"))
              .collect(java.util.stream.Collectors.toSet()));
    }
    List<String> tags = readDeviceNames(pointDir.resolve("requests.parquet"));
    assertEquals(2, tags.size());
    assertEquals(1, tags.stream().distinct().count(), "rows from one attempt only: " + tags);
    try (var left = Files.list(dir.resolve("run/_attempts"))) {
      assertEquals(0, left.count(), "losing attempts removed their copies");
    }
    // a later attempt (a retried or resumed task) leaves the committed rows untouched
    var before = Files.getLastModifiedTime(pointDir.resolve("requests.parquet"));
    assertEquals(
        PointCommitter.Outcome.ALREADY_COMMITTED,
        committer.commit(POINT.pointId(), requests("late"), batches("late")));
    assertEquals(before, Files.getLastModifiedTime(pointDir.resolve("requests.parquet")));
    assertEquals(tags, readDeviceNames(pointDir.resolve("requests.parquet")));
  }

  @Test
  void aFailedAttemptLeavesNothingVisible() {
    RunStore store = RunStore.open(dir.toString(), new Configuration());
    PointCommitter committer = store.at("run").committer();
    // a row the schema rejects (null finish reason) fails the write half-way
    CallContext c =
        new CallContext(
            "run",
            POINT,
            0,
            false,
            false,
            3,
            new Placement("exec", "host", "1@host", "cpu", "x", null));
    List<RequestRow> bad =
        List.of(new RequestRow(c, 0, 4, 3, null, 1, new long[] {2}, 1, new double[0], 1, 1));
    assertThrows(
        RuntimeException.class, () -> committer.commit(POINT.pointId(), bad, batches("x")));
    assertFalse(committer.isCommitted(POINT.pointId()));
    assertTrue(store.at("run").committedPoints().isEmpty());
  }

  private static List<String> readDeviceNames(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    try (ParquetReader<Group> r =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group g = r.read(); g != null; g = r.read()) {
        out.add(g.getString("device_name", 0));
      }
    }
    return out;
  }
}
