package dev.llmsweep.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * An attempt's counts from the points committed in the store, not from the reports that reached the
 * driver (driver side): an executor can commit a point after a stopped driver wrote its record, and
 * that point's report never arrives. Such a point is credited to the executor its raw rows name
 * ({@code executor_id}, {@code host}), so the executors' counts add up to the attempt's. Used when
 * an attempt ends, and again when the next one starts (for the points committed after the earlier
 * one's record).
 */
public final class AttemptCounts {
  private AttemptCounts() {}

  /**
   * The executors of an attempt: {@code reported} (from the points' reports) plus one count for
   * each point of {@code unreported}, read from its committed raw rows.
   */
  public static List<ExecutorSummary> withUnreported(
      Run run, List<ExecutorSummary> reported, Collection<String> unreported) throws IOException {
    List<ExecutorSummary> out = new ArrayList<>(reported);
    for (String pointId : unreported) {
      Path batches = new Path(RunLayout.point(run.dir(), pointId), RawFiles.BATCHES);
      String executor = "?";
      String host = "?";
      String device = null;
      String deviceName = null;
      try (ParquetReader<Group> r =
          ParquetReader.builder(new GroupReadSupport(), batches)
              .withConf(run.store().conf())
              .build()) {
        Group g = r.read();
        if (g != null) {
          executor = g.getString("executor_id", 0);
          host = g.getString("host", 0);
          device = g.getString("device", 0);
          deviceName = g.getString("device_name", 0);
        }
      }
      int i = indexOf(out, executor, host);
      if (i >= 0) {
        ExecutorSummary e = out.get(i);
        out.set(
            i,
            new ExecutorSummary(
                e.executorId(),
                e.host(),
                e.jvm(),
                e.devices(),
                e.deviceNames(),
                e.gpuAddresses(),
                e.points() + 1,
                e.modelLoads(),
                e.modelLoadMs(),
                e.pytorchVersion()));
      } else {
        // its report never reached the driver: what the raw rows say, the JVM unknown
        out.add(
            new ExecutorSummary(
                executor,
                host,
                null,
                device == null ? List.of() : List.of(device),
                deviceName == null ? List.of() : List.of(deviceName),
                List.of(),
                1,
                0,
                0,
                null));
      }
    }
    return out;
  }

  private static int indexOf(List<ExecutorSummary> executors, String id, String host) {
    for (int i = 0; i < executors.size(); i++) {
      if (executors.get(i).executorId().equals(id) && executors.get(i).host().equals(host)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The earlier attempts of a run being resumed, with the points committed after the last one's
   * record (in the store, in no attempt's {@code point_ids}) credited to that last attempt and its
   * executors. A manifest written before point ids were recorded gets the difference in its count.
   */
  public static List<RunManifest.Attempt> reconcile(
      Run run, List<RunManifest.Attempt> earlier, Set<String> committed) throws IOException {
    if (earlier.isEmpty()) {
      return earlier;
    }
    Set<String> recorded = new HashSet<>();
    int recordedCount = 0;
    boolean ids = true;
    for (RunManifest.Attempt a : earlier) {
      recordedCount += a.pointsCommitted();
      if (a.pointIds() == null) {
        ids = false;
      } else {
        recorded.addAll(a.pointIds());
      }
    }
    List<RunManifest.Attempt> out = new ArrayList<>(earlier);
    RunManifest.Attempt last = out.get(out.size() - 1);
    if (!ids) {
      int missing = committed.size() - recordedCount;
      if (missing > 0) {
        out.set(
            out.size() - 1,
            withPoints(last, last.pointsCommitted() + missing, last.pointIds(), last.executors()));
      }
      return out;
    }
    Set<String> unrecorded = new TreeSet<>(committed);
    unrecorded.removeAll(recorded);
    if (unrecorded.isEmpty()) {
      return out;
    }
    Set<String> lastIds = new TreeSet<>(last.pointIds());
    lastIds.addAll(unrecorded);
    out.set(
        out.size() - 1,
        withPoints(
            last,
            last.pointsCommitted() + unrecorded.size(),
            List.copyOf(lastIds),
            withUnreported(run, last.executors(), unrecorded)));
    return out;
  }

  private static RunManifest.Attempt withPoints(
      RunManifest.Attempt a, int committed, List<String> ids, List<ExecutorSummary> executors) {
    return new RunManifest.Attempt(
        a.attempt(),
        a.startedAt(),
        a.endedAt(),
        a.status(),
        a.sparkMaster(),
        a.appId(),
        executors,
        a.devices(),
        a.pytorchVersion(),
        committed,
        a.pointsFailed(),
        ids,
        a.executorsLost(),
        a.executorsAdded(),
        a.environment());
  }
}
