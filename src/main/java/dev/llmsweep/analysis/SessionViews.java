package dev.llmsweep.analysis;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The views of one session, each created the first time a statement reads it (driver side):
 * creating a view analyses its SQL and reads its files' footers, about a second of CPU each on a
 * 2-core machine, so a query of {@code points} does not pay for the eleven others. What a statement
 * reads is {@link Views#readBy}; a statement that names no view gets them all.
 */
public final class SessionViews {
  private final SparkSession spark;
  private final String resultsUri;
  private final String run;
  private final Set<String> allowed;
  private final boolean materialise;
  private final Consumer<String> notes;
  private final Set<String> tried = new HashSet<>();

  /**
   * @param run a run id, or {@code *} for every run under the root
   * @param allowed the views this run can have, or an empty set for all of them
   * @param materialise whether each small view is read into memory once created ({@link
   *     Views#materialiseSmall}: the shell, which asks many questions of one session)
   * @param notes where notes about optional views left out go
   */
  public SessionViews(
      SparkSession spark,
      String resultsUri,
      String run,
      Set<String> allowed,
      boolean materialise,
      Consumer<String> notes) {
    this.spark = spark;
    this.resultsUri = resultsUri;
    this.run = run;
    this.allowed = allowed;
    this.materialise = materialise;
    this.notes = notes;
  }

  public SparkSession spark() {
    return spark;
  }

  /**
   * Creates the views {@code statement} reads (every view when it names none) not created yet;
   * returns the views it reads ({@link Views#readBy}).
   */
  public Set<String> loadFor(String statement) {
    Set<String> reads = Views.readBy(statement);
    load(reads);
    return reads;
  }

  /** Creates every view not created yet. */
  public void loadAll() {
    load(Set.of());
  }

  private void load(Set<String> wanted) {
    Set<String> missing = new LinkedHashSet<>(wanted.isEmpty() ? Views.NAMES : wanted);
    if (!allowed.isEmpty()) {
      missing.retainAll(allowed);
    }
    missing.removeAll(tried);
    if (missing.isEmpty()) {
      return;
    }
    tried.addAll(missing);
    Views.load(spark, resultsUri, run, missing).forEach(notes);
    if (materialise) {
      Views.materialiseSmall(spark, missing);
    }
  }
}
