package dev.llmsweep.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL file split into statements the way {@code spark-sql -i} runs it: statements end with {@code
 * ;} outside quotes, backticks and comments; {@code --} comments are dropped (driver side).
 *
 * @param statements the statements, in order, without their trailing {@code ;}
 */
public record SqlScript(List<String> statements) {

  private static final Pattern VIEW_NAME =
      Pattern.compile(
          "(?is)^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?TEMP(?:ORARY)?\\s+VIEW\\s+`?(\\w+)`?");

  /** Splits {@code text} into statements. */
  public static SqlScript parse(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        current.append(c);
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote != '`' && i + 1 < text.length()) {
          current.append(text.charAt(++i));
        }
      } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
        current.append('\n');
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
        current.append(c);
      } else if (c == ';') {
        add(out, current);
      } else {
        current.append(c);
      }
    }
    add(out, current);
    return new SqlScript(List.copyOf(out));
  }

  /** Reads a script from the classpath (a resource next to {@code owner}). */
  public static SqlScript resource(Class<?> owner, String name) {
    return parse(resourceText(owner, name));
  }

  static String resourceText(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to " + owner.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The view a {@code CREATE ... TEMPORARY VIEW} statement defines, or null for other statements.
   */
  public static String viewName(String statement) {
    Matcher m = VIEW_NAME.matcher(statement);
    return m.find() ? m.group(1) : null;
  }

  private static void add(List<String> out, StringBuilder current) {
    String s = current.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    current.setLength(0);
  }
}
