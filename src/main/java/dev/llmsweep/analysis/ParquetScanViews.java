package dev.llmsweep.analysis;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.Footer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat$;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The views of {@code conf/views.sql} that only scan Parquet files ({@code SELECT * FROM
 * parquet.`path`}), created from the schema of one file's footer read here on the driver (driver
 * side). Spark infers the same schema from the same one file, but through a Spark job (its schema
 * merge code runs even when merging is off): a job per view, with the Hadoop configuration
 * serialised for its task, was most of the time the analysis commands spent creating their views.
 * The schema is read as Spark's inference reads it (the footer's Spark schema, else the Parquet
 * types converted under the session's settings), so the views have the same columns and types.
 */
final class ParquetScanViews {
  private static final Pattern SCAN =
      Pattern.compile(
          "(?is)^\\s*(?:--[^\\n]*\\n\\s*)*CREATE\\s+OR\\s+REPLACE\\s+TEMPORARY\\s+VIEW\\s+(\\w+)\\s+AS"
              + "\\s+SELECT\\s+\\*\\s+FROM\\s+parquet\\.`([^`]+)`\\s*;?\\s*$");

  private ParquetScanViews() {}

  /**
   * Creates the view {@code statement} defines when it is a plain Parquet scan of one run's files
   * that exist, with schema merging off; returns whether it did (else the caller runs the statement
   * as SQL, which also reports a missing path as before). Several runs ({@code *}) are left to
   * Spark: which run's file stands for all of them is Spark's choice to keep.
   */
  static boolean create(SparkSession spark, String statement, String resultsUri, String run) {
    Matcher m = SCAN.matcher(statement);
    if (!m.matches()
        || run.contains("*")
        || Boolean.parseBoolean(spark.conf().get("spark.sql.parquet.mergeSchema", "false"))) {
      return false;
    }
    String path = m.group(2).replace("${results}", resultsUri).replace("${run}", run);
    if (path.contains("${")) {
      return false;
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Optional<FileStatus> file = firstDataFile(conf, new Path(path));
    if (file.isEmpty()) {
      return false;
    }
    Seq<Footer> footers =
        ParquetFileFormat$.MODULE$.readParquetFootersInParallel(
            conf, CollectionConverters.asScala(List.of(file.get())).toList(), false);
    Option<StructType> schema = ParquetFileFormat$.MODULE$.readSchema(footers, spark);
    if (schema.isEmpty()) {
      return false;
    }
    spark.read().schema(schema.get()).parquet(path).createOrReplaceTempView(m.group(1));
    return true;
  }

  /** The first data file (by name) the glob {@code path} matches or holds; none if it has none. */
  private static Optional<FileStatus> firstDataFile(Configuration conf, Path path) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null) {
        return Optional.empty();
      }
      for (FileStatus match : sorted(matches)) {
        if (match.isFile() && isData(match)) {
          return Optional.of(match);
        }
        if (match.isDirectory()) {
          for (FileStatus f : sorted(fs.listStatus(match.getPath()))) {
            if (f.isFile() && isData(f)) {
              return Optional.of(f);
            }
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // Spark's own inference then reports what is wrong
    }
  }

  /** Not a marker or hidden file (_SUCCESS, .crc), not empty: as Spark's file index decides. */
  private static boolean isData(FileStatus f) {
    String name = f.getPath().getName();
    return !name.startsWith("_") && !name.startsWith(".") && f.getLen() > 0;
  }

  private static FileStatus[] sorted(FileStatus[] files) {
    FileStatus[] copy = files.clone();
    Arrays.sort(copy);
    return copy;
  }
}
