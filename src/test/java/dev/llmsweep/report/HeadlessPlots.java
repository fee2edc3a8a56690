package dev.llmsweep.report;

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
    List<Plot> plots = List.of(
        Plots.latencyByBatch("latency-by-batch", PlotsTest.CURVE),
        Plots.sweetSpot("sweet-spot", PlotsTest.CURVE),
        Plots.throughputByBatch("throughput-by-batch", PlotsTest.CURVE),
        Plots.latencyVsThroughput("latency-vs-throughput", PlotsTest.CURVE),
        Plots.latencyByLength("latency-by-length", new LengthCurve("seqlen", "generated tokens per request (mean)",
            List.of(new LengthPoint(32, 1200, 1500), new LengthPoint(64, 2300, 2900), new LengthPoint(128, 4500, 5600)))),
        Plots.latencyBySampling("latency-by-sampling", new SamplingCurve("sampling", List.of(
            new SamplingPoint("greedy", 1100, 1300), new SamplingPoint("T=0.7, top_p=0.9", 1400, 1900)))),
        Plots.itlCdf("itl-cdf", "batch_sweep", List.of(new ItlCdf(1, new double[] {1, 2, 3}, new double[] {0.3, 0.6, 1}),
            new ItlCdf(8, new double[] {2, 4, 9}, new double[] {0.2, 0.7, 1}))));
    for (Plot p : plots) {
      Files.write(out.resolve(p.name() + ".png"), p.png());
      Files.write(out.resolve(p.name() + ".svg"), p.svg());
    }
    System.out.println("plots: " + plots.size());
  }
}
