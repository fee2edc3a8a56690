package dev.llmsweep.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The capacity answer of an open-loop sweep (driver side; the views must be loaded): per experiment
 * and endpoint, the highest offered request rate at which at least {@link #SHARE} of the requests
 * succeeded within the SLOs, every lower rate doing so too (a sustained rate, not a lucky one above
 * a failing one), and how many such servers a target rate needs.
 */
public final class Capacity {
  /** Goodput must be at least this share of the offered requests. */
  public static final double SHARE = 0.95;

  /** One rate of a sweep. */
  public record Rate(double rate, double goodShare, boolean meets) {}

  /**
   * One open-loop sweep's answer.
   *
   * @param capacity the highest sustained rate meeting the goal, or 0 when even the lowest misses
   * @param next the first rate above it (the capacity lies below), or NaN when it is the highest
   *     swept
   */
  public record Sweep(
      String experiment,
      String endpoint,
      double sloTtftMs,
      double sloTpotMs,
      List<Rate> rates,
      double capacity,
      double next) {

    /** Servers of this capacity that {@code targetRate} requests/s need; -1 when none suffices. */
    public long serversFor(double targetRate) {
      return capacity > 0 ? (long) Math.ceil(targetRate / capacity - 1e-9) : -1;
    }

    /** The answer in words, with the target's server count when {@code targetRate} > 0. */
    public String describe(double targetRate) {
      String slo =
          (sloTtftMs > 0 ? "TTFT <= " + trim(sloTtftMs) + " ms" : "")
              + (sloTtftMs > 0 && sloTpotMs > 0 ? ", " : "")
              + (sloTpotMs > 0 ? "TPOT <= " + trim(sloTpotMs) + " ms" : "");
      String goal =
          "goodput >= "
              + Math.round(SHARE * 100)
              + "% of the offered rate"
              + (slo.isEmpty()
                  ? " (no SLO set: goodput counts successful requests)"
                  : " within " + slo);
      StringBuilder sb = new StringBuilder(experiment + " (" + endpoint + "): ");
      if (capacity == 0) {
        sb.append("no swept rate meets ")
            .append(goal)
            .append("; the lowest, ")
            .append(trim(rates.get(0).rate()))
            .append(" req/s, reaches ")
            .append(pct(rates.get(0).goodShare()))
            .append(": sweep lower rates");
      } else {
        Rate at = rates.stream().filter(r -> r.rate() == capacity).findFirst().orElseThrow();
        sb.append("capacity ")
            .append(trim(capacity))
            .append(" req/s per server, the highest offered rate with ")
            .append(goal)
            .append(" (")
            .append(pct(at.goodShare()))
            .append(")");
        if (Double.isNaN(next)) {
          sb.append("; the highest rate swept, so the capacity may be higher: sweep higher rates");
        } else {
          Rate above = rates.stream().filter(r -> r.rate() == next).findFirst().orElseThrow();
          sb.append("; at ")
              .append(trim(next))
              .append(" req/s ")
              .append(pct(above.goodShare()))
              .append(": the capacity lies between, sweep rates there to narrow it");
        }
      }
      if (targetRate > 0) {
        long n = serversFor(targetRate);
        sb.append(String.format(Locale.ROOT, "%n    --rate %s: ", trim(targetRate)))
            .append(
                n < 0
                    ? "no server count: no capacity measured"
                    : n
                        + " server"
                        + (n == 1 ? "" : "s")
                        + " ("
                        + trim(targetRate)
                        + " / "
                        + trim(capacity)
                        + " req/s, rounded up)");
      }
      return sb.toString();
    }
  }

  private Capacity() {}

  /** The open-loop sweeps of {@code runId}: empty when it has none. */
  public static List<Sweep> of(SparkSession spark, String runId) {
    String sql = SqlScript.resource(Capacity.class, "capacity.sql").statements().get(0);
    List<Row> rows =
        spark.sql(sql, Map.<String, Object>of("run", runId, "share", SHARE)).collectAsList();
    List<Sweep> out = new ArrayList<>();
    List<Rate> rates = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      Double share = r.isNullAt(r.fieldIndex("good_share")) ? 0.0 : r.<Double>getAs("good_share");
      rates.add(new Rate(r.<Double>getAs("request_rate"), share, r.<Boolean>getAs("meets")));
      boolean last = i + 1 == rows.size() || !same(r, rows.get(i + 1));
      if (last) {
        double capacity = 0;
        double next = Double.NaN;
        for (Rate x : rates) {
          if (!x.meets()) {
            next = x.rate();
            break;
          }
          capacity = x.rate();
        }
        out.add(
            new Sweep(
                r.getAs("experiment"),
                r.getAs("endpoint"),
                r.<Double>getAs("slo_ttft_ms"),
                r.<Double>getAs("slo_tpot_ms"),
                List.copyOf(rates),
                capacity,
                next));
        rates.clear();
      }
    }
    return out;
  }

  private static boolean same(Row a, Row b) {
    for (String c : List.of("experiment", "endpoint", "max_tokens", "prompt_tokens")) {
      if (!java.util.Objects.equals(a.getAs(c), b.getAs(c))) {
        return false;
      }
    }
    return true;
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  private static String trim(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }
}
