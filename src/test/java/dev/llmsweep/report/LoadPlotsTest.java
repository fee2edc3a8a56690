package dev.llmsweep.report;

import static dev.llmsweep.report.PlotsTest.assertSvgHas;
import static dev.llmsweep.report.PlotsTest.check;
import static dev.llmsweep.report.PlotsTest.svg;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmsweep.report.LoadPlots.LoadCurve;
import dev.llmsweep.report.LoadPlots.LoadPoint;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The open-loop plots from known data: series, axes, SLO lines only where the job set SLOs. */
class LoadPlotsTest {
  static final LoadCurve CURVE =
      new LoadCurve(
          "load_sweep",
          List.of(
              new LoadPoint(1, 0.98, 0.98, 0, 40, 60, 10, 12),
              new LoadPoint(4, 3.9, 3.7, 0, 55, 120, 14, 20),
              new LoadPoint(16, 11, 4.0, 0.02, 900, 2400, 30, 55)),
          500,
          50);

  @Test
  void latencyByRateDrawsTtftAndTpotQuantilesAndTheSlos() throws IOException {
    Plot p =
        check(
            LoadPlots.latencyByRate("latency-by-rate", CURVE),
            6,
            "offered request rate (requests/s)",
            "latency (ms, log scale)");
    assertSvgHas(
        p, "TTFT p50", "TTFT p99", "TPOT p50", "TPOT p99", "TTFT SLO 500 ms", "TPOT SLO 50 ms");
    LoadCurve noSlo = new LoadCurve("x", CURVE.points(), 0, 0);
    Plot q =
        check(
            LoadPlots.latencyByRate("latency-by-rate-noslo", noSlo),
            4,
            "offered request rate (requests/s)",
            "latency (ms, log scale)");
    assertFalse(svg(q).contains("SLO"), "no SLO lines without SLOs");
    // tokens that arrive in one read give a TPOT of 0, and a rate without successes has no figure
    LoadCurve zeros =
        new LoadCurve(
            "z",
            List.of(
                new LoadPoint(1, 1, 1, 0, 40, 60, 0, 0),
                new LoadPoint(2, 0, 0, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN)),
            0,
            0);
    check(
        LoadPlots.latencyByRate("latency-by-rate-zeros", zeros),
        4,
        "offered request rate (requests/s)",
        "latency (ms, log scale)");
  }

  @Test
  void goodputByRateSetsAchievedAndGoodputAgainstTheOffered() throws IOException {
    Plot p =
        check(
            LoadPlots.goodputByRate("goodput-by-rate", CURVE),
            3,
            "offered request rate (requests/s)",
            "requests/s");
    assertSvgHas(
        p,
        "offered",
        "achieved (completed requests / measured wall time)",
        "goodput: successes within TTFT <= 500 ms and TPOT <= 50 ms (0: none)");
  }
}
