package dev.llmsweep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure record as {@code failed/p-<point_id>.json} holds it: the strings docs/schema.md lists.
 */
class FailureRecordsTest {
  @TempDir Path dir;

  @Test
  void reasonsAndPhasesAreWrittenAsTheDocumentedStrings() throws Exception {
    assertEquals(
        List.of("out_of_memory", "device_error", "timeout", "endpoint_error", "error"),
        Arrays.stream(FailureReason.values()).map(FailureReason::label).toList());
    FailureRecords records =
        RunStore.open(dir.toString(), new Configuration()).at("run").failures();
    PointFailure f =
        new PointFailure(
            "run",
            new PointFailure.Setting(
                "00000000000000aa", "e", "tiny", "float32", 2, 3, 4, 0.7, 0.9, 0, 0),
            new Placement("driver", "host", "1@host", "cpu", "cpu", null),
            new PointFailure.Cause(
                PointFailure.Phase.GENERATE,
                FailureReason.OUT_OF_MEMORY,
                "java.lang.OutOfMemoryError",
                "Java heap space",
                "2026-01-01T00:00:00Z",
                12.5,
                true));
    records.write(f);
    String json = Files.readString(Path.of(records.file("00000000000000aa").toUri()));
    assertTrue(
        json.contains("\"reason\":\"out_of_memory\"") && json.contains("\"phase\":\"generate\""),
        json);
    assertEquals(List.of(f), records.list(), "read back as the enums it was written from");
  }
}
