package dev.llmsweep.report;

import java.util.List;

/**
 * One of the notebook's tables as the report prints it (driver side).
 *
 * @param title e.g. {@code batch_sweep}
 * @param caption what the rows are and where they come from
 * @param columns column names, with units as in the views ({@code latency_p50_s})
 * @param rows values (numbers, strings, booleans or null), one list per row
 */
public record Table(String title, String caption, List<String> columns, List<List<Object>> rows) {}
