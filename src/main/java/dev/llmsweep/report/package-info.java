/**
 * The run report: the notebook's plots (PNG and SVG) and one self-contained HTML file with the
 * run's setup, tables, plots, sweet spot, budget recommendations, metric definitions and warnings.
 * Plots are {@link dev.llmsweep.report.Chart}s drawn by {@link dev.llmsweep.report.PlainChart} with
 * a bundled font, never the JDK's font manager, so they are the same on every JVM.
 *
 * <p>Everything here runs on the driver. {@link dev.llmsweep.report.ReportQueries} reads the SQL
 * views of a run (the views and the recommendations come from {@code dev.llmsweep.analysis}) and
 * {@link dev.llmsweep.report.ReportShapes} turns the rows into tables and curves; {@link
 * dev.llmsweep.report.Plots} and {@link dev.llmsweep.report.HtmlReport} work on plain records and
 * never touch Spark, so they are tested from known data.
 */
package dev.llmsweep.report;
