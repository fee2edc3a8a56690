package dev.llmsweep.report;

import dev.llmsweep.report.PlotData.BatchCurve;
import dev.llmsweep.report.PlotData.BatchPoint;
import dev.llmsweep.report.PlotData.FrontierPoint;
import dev.llmsweep.report.PlotData.ItlCdf;
import dev.llmsweep.report.PlotData.LengthCurve;
import dev.llmsweep.report.PlotData.LengthPoint;
import dev.llmsweep.report.PlotData.SamplingCurve;
import dev.llmsweep.report.PlotData.SamplingPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by {@link HeadlessFontsTest} in a JVM without the JDK's font library: prints whether the
 * JDK's fonts work, then draws every kind of plot the report has into the directory given, the
 * way the report does ({@link Plot#render}).
 */
public final class HeadlessPlots {
  private HeadlessPlots() {}

  public static void main(String[] args) throws Exception {
    Path out = Files.createDirectories(Path.of(args[0]));
    System.out.println("jdk fonts: " + (Plot.JDK_FONTS_MISSING == null ? "available" : "missing: "
        + Plot.JDK_FONTS_MISSING));
    BatchCurve curve = new BatchCurve("batch_sweep (max_tokens=128)", List.of(
        new BatchPoint(1, 40, 55, 38.0, 5.1, 5.4, 25), new BatchPoint(8, 45, 60, 41.0, 5.3, 5.9, 190),
        new BatchPoint(32, 60, 80, 50.0, 6.0, 6.6, 680), new BatchPoint(128, 90, 130, 85.0, 9.0, 11.0, 1800)),
        32, 128);
    List<Plot> plots = List.of(
        Plots.latencyByBatch("latency-by-batch", curve),
        Plots.sweetSpot("sweet-spot", curve),
        Plots.latencyByLength("latency-by-length", new LengthCurve("seqlen", "generated tokens per request (mean)",
            List.of(new LengthPoint(32, 1.2, 1.5), new LengthPoint(64, 2.3, 2.9), new LengthPoint(128, 4.5, 5.6)))),
        Plots.latencyBySampling("latency-by-sampling", new SamplingCurve("sampling", List.of(
            new SamplingPoint("greedy", 1.1, 1.3), new SamplingPoint("T=0.7, top_p=0.9", 1.4, 1.9)))),
        Plots.frontier("throughput-vs-p99", List.of(new FrontierPoint(0.5, 100, true),
            new FrontierPoint(1.5, 400, true), new FrontierPoint(2.0, 300, false)), 2.5),
        Plots.itlCdf("itl-cdf", "batch_sweep", List.of(new ItlCdf(1, new double[] {1, 2, 3}, new double[] {0.3, 0.6, 1}),
            new ItlCdf(8, new double[] {2, 4, 9}, new double[] {0.2, 0.7, 1}))));
    for (Plot p : plots) {
      Files.write(out.resolve(p.name() + ".png"), p.png());
      Files.write(out.resolve(p.name() + ".svg"), p.svg());
    }
    System.out.println("plots: " + plots.size());
  }
}
