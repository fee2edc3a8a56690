package dev.llmsweep.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** README.md as the tests read it: its shell commands and its example output (tests only). */
final class Readme {
  private static final Path FILE = Path.of("README.md");

  /**
   * A trailing shell comment: whitespace, {@code #}, whitespace (no command line has one inside
   * quotes).
   */
  private static final Pattern COMMENT = Pattern.compile("\\s+#\\s.*$");

  private Readme() {}

  /**
   * Every command of every {@code ```bash} block: one per line (a line ending in {@code \}
   * continues on the next), without comments, with single spaces.
   */
  static List<String> commands() {
    List<String> out = new ArrayList<>();
    boolean inBash = false;
    StringBuilder pending = new StringBuilder();
    for (String line : lines()) {
      if (line.startsWith("```")) {
        inBash = !inBash && line.strip().equals("```bash");
        continue;
      }
      if (!inBash || line.strip().startsWith("#")) {
        continue;
      }
      String part = COMMENT.matcher(line).replaceFirst("").strip();
      if (part.endsWith("\\")) {
        pending.append(part, 0, part.length() - 1).append(' ');
        continue;
      }
      String command = (pending + part).strip().replaceAll("\\s+", " ");
      pending.setLength(0);
      if (!command.isEmpty()) {
        out.add(command);
      }
    }
    return out;
  }

  /**
   * The lines of the first plain {@code ```} block after the first line containing {@code marker}.
   */
  static List<String> blockAfter(String marker) {
    List<String> all = lines();
    int at = 0;
    while (at < all.size() && !all.get(at).contains(marker)) {
      at++;
    }
    while (at < all.size() && !all.get(at).equals("```")) {
      at++;
    }
    List<String> out = new ArrayList<>();
    for (int i = at + 1; i < all.size() && !all.get(i).startsWith("```"); i++) {
      out.add(all.get(i));
    }
    if (out.isEmpty()) {
      throw new AssertionError("README.md has no ``` block after '" + marker + "'");
    }
    return out;
  }

  /**
   * A README example line as a pattern: {@code …} stands for anything, a run id such as {@code
   * 20261127-223359-c3c6} for any run id, everything else literally.
   */
  static Pattern example(String line) {
    StringBuilder p = new StringBuilder();
    String[] parts = line.split("…", -1);
    for (int k = 0; k < parts.length; k++) {
      p.append(k == 0 ? "" : ".*");
      String[] ids = parts[k].split("\\d{8}-\\d{6}-[0-9a-z]{4}", -1);
      for (int i = 0; i < ids.length; i++) {
        p.append(i == 0 ? "" : "[0-9]{8}-[0-9]{6}-[0-9a-z]{4}").append(Pattern.quote(ids[i]));
      }
    }
    return Pattern.compile(p.toString());
  }

  private static List<String> lines() {
    try {
      return Files.readAllLines(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
