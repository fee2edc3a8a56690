package dev.llmsweep.cli;

import dev.llmsweep.errors.BadInputException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Prints a query result as an aligned table, CSV or a JSON array (driver side). */
final class QueryOutput {
  enum Format {
    TABLE,
    CSV,
    JSON;

    static Format parse(String s) {
      try {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--format must be table, csv or json, not '" + s + "'");
      }
    }
  }

  private QueryOutput() {}

  static void print(
      Dataset<Row> result, Format format, int limit, PrintStream out, PrintStream err) {
    print(result, format, limit, out, err, -1);
  }

  /**
   * As {@link #print}; a non-negative {@code startNanos} adds the time since then to the row count
   * (the shell).
   */
  static void print(
      Dataset<Row> result,
      Format format,
      int limit,
      PrintStream out,
      PrintStream err,
      long startNanos) {
    if (format == Format.JSON) {
      List<String> lines = new ArrayList<>(result.toJSON().takeAsList(limit + 1));
      truncated(lines, limit, err);
      out.println(lines.isEmpty() ? "[]" : "[\n  " + String.join(",\n  ", lines) + "\n]");
      return;
    }
    Dataset<Row> flat = complexAsJson(result);
    String[] names = flat.columns();
    List<Row> rows = new ArrayList<>(flat.takeAsList(limit + 1));
    truncated(rows, limit, err);
    List<String[]> cells = new ArrayList<>();
    for (Row r : rows) {
      String[] c = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        c[i] = format == Format.CSV ? csv(raw(r.get(i))) : readable(r.get(i));
      }
      cells.add(c);
    }
    if (format == Format.CSV) {
      out.println(String.join(",", java.util.Arrays.stream(names).map(QueryOutput::csv).toList()));
      cells.forEach(c -> out.println(String.join(",", c)));
      return;
    }
    int[] width = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      width[i] = names[i].length();
      for (String[] c : cells) {
        width[i] = Math.max(width[i], c[i].length());
      }
    }
    out.println(line(names, width));
    StringBuilder rule = new StringBuilder();
    for (int w : width) {
      rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(w));
    }
    out.println(rule);
    cells.forEach(c -> out.println(line(c, width)));
    String took =
        startNanos < 0
            ? ""
            : String.format(
                java.util.Locale.ROOT, ", %.2f s", (System.nanoTime() - startNanos) / 1e9);
    err.println("(" + cells.size() + (cells.size() == 1 ? " row" : " rows") + took + ")");
  }

  /** The views and their columns, one column a line under each view. */
  static void listViews(java.util.Map<String, List<String>> views, PrintStream out) {
    views.forEach(
        (view, columns) -> {
          out.println(view);
          columns.forEach(c -> out.println("  " + c));
        });
  }

  private static void truncated(List<?> rows, int limit, PrintStream err) {
    if (rows.size() > limit) {
      rows.remove(rows.size() - 1);
      err.println("note: only the first " + limit + " rows are printed (--limit)");
    }
  }

  /** Arrays, maps and structs as JSON text, so that every cell is one plain value. */
  private static Dataset<Row> complexAsJson(Dataset<Row> ds) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : ds.schema().fields()) {
      Column c = ds.col("`" + f.name().replace("`", "``") + "`");
      boolean complex =
          f.dataType() instanceof ArrayType
              || f.dataType() instanceof MapType
              || f.dataType() instanceof StructType;
      cols.add(complex ? functions.to_json(c).as(f.name()) : c);
    }
    return ds.select(cols.toArray(Column[]::new));
  }

  private static String raw(Object v) {
    return v == null ? "" : v.toString();
  }

  private static String readable(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Double d && Double.isFinite(d) && d != 0) {
      return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
    return v.toString();
  }

  private static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(" | ");
      }
      b.append(cells[i]).append(" ".repeat(width[i] - cells[i].length()));
    }
    return b.toString().stripTrailing();
  }
}
