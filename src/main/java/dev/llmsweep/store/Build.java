package dev.llmsweep.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git commit of the llm-sweep build that is running (driver or executor), as the
 * build wrote them into its classes ({@code dev/llmsweep/build.properties}, made by the pom at
 * {@code generate-resources}). Read from the jar, not from the directory it runs in: a GPU node's
 * checkout may be at another commit than the jar it runs.
 *
 * @param version the project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit the full commit hash the build was made from, or null where it was built outside
 *     git
 * @param dirty whether the build's tracked files differed from that commit
 */
public record Build(String version, String commit, boolean dirty) {
  static final String RESOURCE = "/dev/llmsweep/build.properties";
  private static final Build CURRENT = read();

  /** This build; version {@code dev} and no commit where the classes were not built by Maven. */
  public static Build current() {
    return CURRENT;
  }

  /** E.g. {@code llm-sweep 0.1.0-SNAPSHOT (commit 0123456789ab, with uncommitted changes)}. */
  public String describe() {
    String c =
        commit == null
            ? "commit unknown"
            : "commit " + commit.substring(0, Math.min(12, commit.length()));
    return "llm-sweep " + version + " (" + c + (dirty ? ", with uncommitted changes" : "") + ")";
  }

  /**
   * The commit as the manifest records it: the hash, with {@code -dirty} where the build had
   * changes.
   */
  public String manifestCommit() {
    return commit == null ? null : dirty ? commit + "-dirty" : commit;
  }

  private static Build read() {
    Properties p = new Properties();
    try (InputStream in = Build.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return new Build("dev", null, false);
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    String commit = p.getProperty("commit", "").trim();
    return new Build(
        p.getProperty("version", "dev").trim(),
        commit.matches("[0-9a-f]{40}") ? commit : null,
        Boolean.parseBoolean(p.getProperty("dirty", "false").trim()));
  }
}
