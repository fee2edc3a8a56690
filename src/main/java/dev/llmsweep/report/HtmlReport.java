package dev.llmsweep.report;

import dev.llmsweep.analysis.Recommendation;
import dev.llmsweep.analysis.SweetSpot;
import dev.llmsweep.store.Build;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes the report as one self-contained HTML page (driver side): styles inline, plots embedded as
 * PNG data URIs, no scripts, fonts or anything else fetched. Every text is escaped.
 */
public final class HtmlReport {
  private static final String CSS =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
      h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ccc;padding-bottom:.2em}
      .sub{color:#555;margin-top:0}
      table{border-collapse:collapse;margin:.6em 0;font-size:.85em}
      th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right}th{background:#f2f2f2}
      td.t,th.t{text-align:left}
      .scroll{overflow-x:auto}
      .warn{background:#fff6e0;border:1px solid #e0b040;padding:.6em 1em;border-radius:4px}
      .reco{background:#eef7ee;border:1px solid #6a6;padding:.6em 1em;border-radius:4px}
      ul.range{margin:.2em 0;color:#333} ul.range li.sub{margin-left:1.5em}
      figure{margin:1.2em 0}figure img{width:100%;height:auto;border:1px solid #ddd}
      figcaption{color:#444;font-size:.9em}
      code{background:#f4f4f4;padding:0 .2em}
      """;

  private HtmlReport() {}

  /** The page for {@code report} with {@code plots} in the order given. */
  public static String render(Report report, List<Plot> plots) {
    StringBuilder h = new StringBuilder(1 << 16);
    h.append(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>llm-sweep report: run ")
        .append(Html.esc(report.runId()))
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style></head>\n<body>\n");
    h.append("<h1>llm-sweep report: run ")
        .append(Html.esc(report.runId()))
        .append("</h1>\n<p class=\"sub\">")
        .append(Html.esc(report.setup().facts().getOrDefault("model (dtype)", "")))
        .append(" on ")
        .append(Html.esc(report.setup().facts().getOrDefault("devices", "")))
        .append("; generated ")
        .append(Html.esc(Instant.now().toString()))
        .append(" by ")
        .append(Html.esc(Build.current().describe()))
        .append("</p>\n");
    warnings(h, report.warnings());
    setup(h, report.setup());
    recommendations(h, report);
    if (!plots.isEmpty()) {
      h.append("<h2 id=\"plots\">Plots</h2>\n");
      for (Plot p : plots) {
        h.append("<figure id=\"plot-")
            .append(Html.esc(p.name()))
            .append("\"><img src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(p.png()))
            .append("\" width=\"")
            .append(p.width())
            .append("\" height=\"")
            .append(p.height())
            .append("\" alt=\"")
            .append(Html.esc(p.title()))
            .append("\">\n<figcaption>")
            .append(Html.esc(p.caption()))
            .append("</figcaption></figure>\n");
      }
      int curves =
          Math.max(
              report.batchCurves().size(),
              Math.max(report.lengthCurves().size(), report.samplingCurves().size()));
      if (curves > Reports.MAX_CURVES) {
        h.append("<p>Only the first ")
            .append(Reports.MAX_CURVES)
            .append(" curves of each kind are drawn;")
            .append(" the tables below hold every point.</p>\n");
      }
    }
    for (Table t : report.tables()) {
      table(h, t);
    }
    h.append("<h2 id=\"definitions\">Metric definitions</h2>\n<ul>\n");
    for (String d : report.definitions()) {
      h.append("<li>").append(Html.esc(d)).append("</li>\n");
    }
    h.append(
            "<li>batch latency (the tables' <code>latency_*_ms</code>): wall time of one generate call for the")
        .append(" whole batch, as the notebook timed it</li>\n");
    h.append(
            "<li>units: every latency in this report is in ms, every throughput in tok/s (output tokens per")
        .append(" second of wall time)</li>\n");
    h.append("</ul>\n</body></html>\n");
    return h.toString();
  }

  private static void warnings(StringBuilder h, List<String> warnings) {
    if (warnings.isEmpty()) {
      return;
    }
    h.append("<h2 id=\"warnings\">Warnings</h2>\n<div class=\"warn\"><ul>\n");
    for (String w : warnings) {
      h.append("<li>").append(Html.esc(w)).append("</li>\n");
    }
    h.append("</ul></div>\n");
  }

  private static void setup(StringBuilder h, RunSetup s) {
    h.append("<h2 id=\"setup\">Setup</h2>\n<table>\n");
    for (Map.Entry<String, String> e : s.facts().entrySet()) {
      h.append("<tr><th class=\"t\">")
          .append(Html.esc(e.getKey()))
          .append("</th><td class=\"t\">")
          .append(Html.esc(e.getValue()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (!s.executors().isEmpty()) {
      table(
          h,
          new Table(
              "executors", "One row per executor JVM.", RunSetup.EXECUTOR_COLUMNS, s.executors()),
          "h3");
    }
  }

  private static void recommendations(StringBuilder h, Report r) {
    h.append(
            "<h2 id=\"recommendations\">Recommendations</h2>\n<div class=\"reco\">\n<p>Latency budget ")
        .append(Html.esc(Html.number(r.budgetS() * 1000)))
        .append(" ms (--budget ")
        .append(Html.esc(Html.number(r.budgetS())))
        .append(" s) on the batch latency (wall time of one generate call):</p>\n<ul>\n");
    for (Recommendation b : r.budget()) {
      h.append("<li>").append(Html.esc(b.describe(true)));
      sublist(h, b.describeUncertainty(true));
      h.append("</li>\n");
    }
    h.append("</ul>\n");
    if (!r.intervals().isEmpty()) {
      h.append("<p>")
          .append(
              Html.esc(Character.toUpperCase(r.intervals().charAt(0)) + r.intervals().substring(1)))
          .append(".</p>\n");
    }
    if (r.sweetSpots().isEmpty()) {
      h.append(
          "<p>No sweet spot: no experiment sweeps at least 3 batch sizes of stable (not unstable) points.</p>\n");
    } else {
      h.append("<ul>\n");
      for (SweetSpot s : r.sweetSpots()) {
        h.append("<li>").append(Html.esc(s.describe(true)));
        sublist(h, s.describeRange().isEmpty() ? List.of() : List.of(s.describeRange()));
        h.append("</li>\n");
      }
      h.append("</ul>\n");
    }
    h.append("</div>\n");
  }

  /**
   * What the intervals leave open about an answer, as a list under it (lines indented by two spaces
   * nest once more).
   */
  private static void sublist(StringBuilder h, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    h.append("\n<ul class=\"range\">");
    for (String line : lines) {
      h.append(line.startsWith("  ") ? "<li class=\"sub\">" : "<li>")
          .append(Html.esc(line.strip()))
          .append("</li>");
    }
    h.append("</ul>");
  }

  private static void table(StringBuilder h, Table t) {
    table(h, t, "h2");
  }

  private static void table(StringBuilder h, Table t, String heading) {
    h.append('<')
        .append(heading)
        .append(" id=\"table-")
        .append(Html.esc(t.title()))
        .append("\">")
        .append(Html.esc(t.title()))
        .append("</")
        .append(heading)
        .append(">\n<p>")
        .append(Html.esc(t.caption()))
        .append("</p>\n<div class=\"scroll\"><table>\n<tr>");
    for (String c : t.columns()) {
      h.append("<th>").append(Html.esc(c)).append("</th>");
    }
    h.append("</tr>\n");
    for (List<Object> row : t.rows()) {
      h.append("<tr>");
      for (Object v : row) {
        boolean text = v instanceof String;
        h.append(text ? "<td class=\"t\">" : "<td>")
            .append(Html.esc(v instanceof Boolean b ? (b ? "yes" : "no") : Html.number(v)))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table></div>\n");
  }
}
