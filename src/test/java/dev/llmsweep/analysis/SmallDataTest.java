package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunStore;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One session aggregates run after run (compare's runs, {@code sql --all-runs}): a small run's
 * queries run interpreted in one task a stage, and a larger run after it gets Spark's defaults back
 * rather than inheriting them.
 */
@SparkOnly
class SmallDataTest {
  @TempDir Path root;

  private Run runWithRawBytes(String id, long bytes) throws Exception {
    Path raw = Files.createDirectories(root.resolve(id).resolve("raw").resolve("p-1"));
    try (RandomAccessFile f =
        new RandomAccessFile(raw.resolve("requests.parquet").toFile(), "rw")) {
      f.setLength(bytes); // sparse: only the length counts
    }
    return RunStore.open(root.toString(), new org.apache.hadoop.conf.Configuration()).at(id);
  }

  @Test
  void aLargerRunAfterASmallOneGetsSparksDefaultsBack() throws Exception {
    SparkSession spark = TestSpark.newWholeFileSession();
    String defaultPartitions = spark.conf().get("spark.sql.shuffle.partitions");
    Run small = runWithRawBytes("20261207-000000-aaaa", 4096);
    Run large = runWithRawBytes("20261207-000001-bbbb", SmallData.MAX_RAW_BYTES + 1);

    SmallData.forRuns(spark, List.of(small));
    assertEquals("false", spark.conf().get("spark.sql.codegen.wholeStage"));
    assertEquals("1", spark.conf().get("spark.sql.shuffle.partitions"));

    SmallData.forRuns(spark, List.of(large));
    assertEquals("true", spark.conf().get("spark.sql.codegen.wholeStage"));
    assertEquals(defaultPartitions, spark.conf().get("spark.sql.shuffle.partitions"));
    // the two together are as large as the larger
    SmallData.forRuns(spark, List.of(small, large));
    assertEquals("true", spark.conf().get("spark.sql.codegen.wholeStage"));
  }
}
