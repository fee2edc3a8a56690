package dev.llmsweep.analysis;

import dev.llmsweep.store.MissingResultsException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Loads {@code conf/views.sql} (packaged in the jar) into a session, exactly as a Spark SQL user
 * would: it sets the variables {@code results} and {@code run} and runs the file's statements
 * (driver side; the views are temporary, so they live as long as the session).
 */
public final class Views {
  /**
   * Every view the file defines, in order, except {@code history} (the last), which is created
   * where the runs' manifest table has its start times and left out with a note elsewhere.
   */
  public static final List<String> NAMES =
      List.of(
          "requests",
          "batches",
          "probes",
          "runs",
          "failures",
          "points",
          "batch_sweep",
          "seqlen_sweep",
          "sampling_sweep",
          "load_sweep",
          "sweet_spot",
          "budget_frontier",
          "comparisons");

  /** Every view the file defines, {@code history} included: the names a statement may read. */
  private static final List<String> DEFINED =
      Stream.concat(NAMES.stream(), Stream.of("history")).toList();

  /**
   * Views whose files may not exist yet ({@code failed/} is made when a run starts, so only runs of
   * older versions lack it; {@code comparisons/} exists only after a compare; {@code probes} files
   * only in runs of versions that probe): created empty from their declared columns, or left out
   * with a note ({@code runs}, which declares none).
   */
  private static final Set<String> OPTIONAL = Set.of("runs", "failures", "comparisons", "probes");

  private Views() {}

  /** A word that may name a view (a query's identifiers, matched against {@link #NAMES}). */
  private static final Pattern WORD = Pattern.compile("\\w+");

  /**
   * Where a statement of views.sql reads another view: after FROM or JOIN (views.sql joins with
   * JOIN, never with commas, so this finds every one; a CTE's name is no view and is ignored).
   */
  private static final Pattern READS = Pattern.compile("(?i)\\b(?:FROM|JOIN)\\s+`?(\\w+)`?");

  /** The statements of {@code conf/views.sql}. */
  public static SqlScript script() {
    return SqlScript.resource(Views.class, "views.sql");
  }

  /**
   * Creates the views over {@code resultsUri} for {@code run} (a run id, or {@code *} for every
   * run). Returns notes about optional views left out.
   *
   * @param only the views to create, or an empty set for all of them
   */
  public static List<String> load(
      SparkSession spark, String resultsUri, String run, Set<String> only) {
    spark.conf().set("results", resultsUri);
    spark.conf().set("run", run);
    List<String> notes = new ArrayList<>();
    for (String statement : script().statements()) {
      String view = SqlScript.viewName(statement);
      if (view != null && !only.isEmpty() && !only.contains(view)) {
        continue;
      }
      try {
        if (!ParquetScanViews.create(spark, statement, resultsUri, run)) {
          spark.sql(statement);
        }
        if ("points".equals(view)) {
          // points tables written before the probes: NULL (compare and the history view read them)
          RawColumns.fillMissingEnvironment(spark);
        }
      } catch (Exception e) {
        if ("history".equals(view) && e instanceof AnalysisException) {
          notes.add(
              "view history left out: it needs the runs table with job_name and started_at ("
                  + firstLine(e.getMessage())
                  + ")");
          continue;
        }
        if ("load_sweep".equals(view)
            && e instanceof AnalysisException a
            && String.valueOf(a.getCondition()).startsWith("UNRESOLVED_COLUMN")) {
          notes.add(
              "view load_sweep left out: the points table of run "
                  + run
                  + " predates request_rate"
                  + " (./submit aggregate rewrites it)");
          continue;
        }
        if (!(e instanceof AnalysisException a) || !"PATH_NOT_FOUND".equals(a.getCondition())) {
          throw Views.<RuntimeException>rethrow(e);
        }
        if (OPTIONAL.contains(view) && emptyView(spark, view, statement)) {
          continue; // no files yet (never compared, no failure): the view exists with 0 rows
        }
        if (OPTIONAL.contains(view)) {
          notes.add(
              "view "
                  + view
                  + " left out: no "
                  + view
                  + " files under "
                  + resultsUri
                  + " for run "
                  + run);
          continue;
        }
        throw new MissingResultsException(
            "cannot create view "
                + view
                + ": "
                + firstLine(e.getMessage())
                + ("points".equals(view) ? " (run ./submit aggregate first)" : ""));
      }
    }
    return notes;
  }

  /**
   * The views a statement reads, with every view those read in turn (as {@code conf/views.sql}
   * defines them), in {@link #NAMES} order; empty when it names none ({@code SHOW VIEWS}, {@code
   * SELECT 1}): then every view is wanted. Any word of the statement that is a view's name counts
   * (a column or a comment too): a view too many costs a moment, one too few an error.
   */
  public static Set<String> readBy(String statement) {
    Set<String> named = new HashSet<>();
    Matcher m = WORD.matcher(statement.toLowerCase(Locale.ROOT));
    while (m.find()) {
      if (DEFINED.contains(m.group())) {
        named.add(m.group());
      }
    }
    return closure(named);
  }

  /** {@code views} and every view they read in turn, in {@link #NAMES} order. */
  public static Set<String> closure(Set<String> views) {
    Map<String, Set<String>> reads = new LinkedHashMap<>();
    for (String statement : script().statements()) {
      String view = SqlScript.viewName(statement);
      if (view != null) {
        Set<String> own = new HashSet<>();
        Matcher m = READS.matcher(statement);
        while (m.find()) {
          if (DEFINED.contains(m.group(1)) && !m.group(1).equals(view)) {
            own.add(m.group(1));
          }
        }
        reads.put(view, own);
      }
    }
    Set<String> wanted = new HashSet<>(views);
    Deque<String> todo = new ArrayDeque<>(views);
    while (!todo.isEmpty()) {
      for (String dependency : reads.getOrDefault(todo.pop(), Set.of())) {
        if (wanted.add(dependency)) {
          todo.push(dependency);
        }
      }
    }
    Set<String> ordered = new LinkedHashSet<>();
    DEFINED.stream().filter(wanted::contains).forEach(ordered::add);
    return ordered;
  }

  /**
   * Creates {@code view} empty, with the columns its statement declares ({@code CREATE ... VIEW v
   * (a STRING, ...) USING ...}); false when the statement declares none.
   */
  private static boolean emptyView(SparkSession spark, String view, String statement) {
    Matcher m = DECLARED_COLUMNS.matcher(statement);
    if (!m.find()) {
      return false;
    }
    StructType schema = StructType.fromDDL(m.group(1).replaceAll("\\s+", " ").strip());
    spark.createDataFrame(List.<Row>of(), schema).createOrReplaceTempView(view);
    return true;
  }

  private static final Pattern DECLARED_COLUMNS =
      Pattern.compile("(?is)VIEW\\s+`?\\w+`?\\s*\\((.*?)\\)\\s*USING\\s");

  /**
   * Replaces the views with one row per point or fewer by their rows, read once into memory as
   * local relations, so that later queries on them neither re-read the files nor re-plan the views'
   * SQL (a view, even a cached one, is re-analysed from its SQL on every query: 1.4-2 s for
   * sweet_spot). The raw requests and batches stay on disk (they can be large). In {@link #NAMES}
   * order, each view is materialised from the already materialised ones it reads. Returns the
   * number of views present.
   */
  public static int materialiseSmall(SparkSession spark) {
    return materialiseSmall(spark, Set.copyOf(NAMES));
  }

  /** {@link #materialiseSmall(SparkSession)} for {@code views} only (those just created). */
  public static int materialiseSmall(SparkSession spark, Set<String> views) {
    int present = 0;
    for (String view : NAMES) {
      if (!views.contains(view) || !spark.catalog().tableExists(view)) {
        continue;
      }
      present++;
      if (!view.equals("requests") && !view.equals("batches")) {
        Dataset<Row> rows = spark.table(view);
        spark.createDataFrame(rows.collectAsList(), rows.schema()).createOrReplaceTempView(view);
      }
    }
    return present;
  }

  /** The views present in the session, each with its columns as {@code name type}. */
  public static Map<String, List<String>> describe(SparkSession spark) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(NAMES);
    all.add("history"); // where it could be created (see NAMES)
    for (String view : all) {
      if (spark.catalog().tableExists(view)) {
        List<String> columns = new ArrayList<>();
        for (StructField f : spark.table(view).schema().fields()) {
          columns.add(f.name() + " " + f.dataType().simpleString());
        }
        out.put(view, columns);
      }
    }
    return out;
  }

  /** Rethrows Spark's AnalysisException (checked in Java, undeclared by Scala) unchanged. */
  @SuppressWarnings("unchecked")
  static <T extends Exception> T rethrow(Exception e) throws T {
    throw (T) e;
  }

  static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
