package dev.llmsweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.report.PlotData.BatchCurve;
import dev.llmsweep.store.RunManifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The HTML of a run with only a batch sweep (from known data, no Spark): the length and sampling
 * experiments it lacks are left out rather than drawn empty, and hostile text is escaped.
 */
class HtmlReportTest {

  @Test
  void experimentsTheRunLacksAreLeftOutAndTextIsEscaped() {
    BatchCurve curve =
        new BatchCurve(
            "<script>alert(1)</script> (max_tokens=128)", PlotsTest.CURVE.points(), 32, 128);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("model (dtype)", "m&m \"quoted\" (float16)");
    facts.put("devices", "gpu:0");
    Report r =
        new Report(
            "run-1",
            2.5,
            new RunSetup(facts, List.of(), 5, 5, RunManifest.Status.COMPLETED),
            List.of(
                new Table(
                    "batch_sweep",
                    "caption",
                    List.of("experiment", "batch_size", "latency_p50_s", "few"),
                    List.of(List.of("<b>x</b>", 8, 0.12345678, true)))),
            List.of(curve),
            Map.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of("w <1>"),
            List.of("ttft=first token - submit"));
    List<Plot> plots = Reports.plots(r);
    assertEquals(
        List.of(
            "latency-by-batch-1",
            "throughput-by-batch-1",
            "latency-vs-throughput-1",
            "sweet-spot-1"),
        plots.stream().map(Plot::name).toList(),
        "no length, sampling or ITL plot without their data");
    String html = HtmlReport.render(r, plots);
    assertFalse(html.contains("<script>") || html.contains("<b>x</b>"), "no markup from data");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("m&amp;m &quot;quoted&quot; (float16)"));
    assertTrue(
        html.contains("<td>0.1235</td>") && html.contains("<td>yes</td>"),
        "numbers and flags formatted");
    assertTrue(html.contains("w &lt;1&gt;"));
    assertFalse(
        html.contains("seqlen_sweep") || html.contains("sampling_sweep"), "absent tables left out");
    assertEquals(4, SvgText.count(html, "<img "));
  }
}
