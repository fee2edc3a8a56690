package dev.llmsweep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One definition of a run under a results root: a directory with {@code manifest.json} (a run whose
 * points all failed has one) or {@code raw/}; a claimed directory the sweep has not started
 * writing, a stray file or a badly named directory is not a run. The latest run is the one written
 * to last.
 */
class RunStoreTest {
  @TempDir Path root;

  private void touch(Path p, long epochSecond) throws Exception {
    Files.setLastModifiedTime(p, FileTime.fromMillis(epochSecond * 1000));
  }

  @Test
  void aRunHasAManifestOrRawPointsAndTheLatestIsTheOneWrittenLast() throws Exception {
    Path allFailed = Files.createDirectories(root.resolve("all-failed"));
    touch(Files.writeString(allFailed.resolve("manifest.json"), "{}"), 3_000);
    Path copied = Files.createDirectories(root.resolve("copied/raw/p-1"));
    touch(copied.getParent(), 2_000);
    Path measured = Files.createDirectories(root.resolve("measured/raw/p-2"));
    touch(measured.getParent(), 1_000);
    touch(Files.writeString(root.resolve("measured/manifest.json"), "{}"), 1_500);
    Files.createDirectories(root.resolve("claimed"));
    Files.writeString(root.resolve("notes.txt"), "x");
    Files.createDirectories(root.resolve(".hidden/raw"));

    RunStore store = RunStore.openExisting(root.toString(), new Configuration());
    assertEquals(List.of("measured", "copied", "all-failed"), store.runs());
    assertEquals("all-failed", store.latestRun());
    assertEquals("all-failed", store.run(null).id());
    assertTrue(store.exists("copied"));
    assertFalse(store.exists("claimed"));
    MissingResultsException none =
        assertThrows(MissingResultsException.class, () -> store.run("claimed"));
    assertTrue(
        none.getMessage().contains("no run 'claimed' under")
            && none.getMessage().contains("runs there: measured, copied, all-failed"),
        none.getMessage());
    MissingResultsException bad =
        assertThrows(MissingResultsException.class, () -> store.run("../x"));
    assertTrue(
        bad.getMessage().startsWith("invalid run id '../x': use letters, digits"),
        bad.getMessage());
    assertEquals("measured", store.run("measured").requireCommitted().id());
    MissingResultsException noPoints =
        assertThrows(MissingResultsException.class, () -> store.run(null).requireCommitted());
    assertTrue(
        noPoints.getMessage().startsWith("run 'all-failed' has no committed points yet"),
        noPoints.getMessage());
  }

  @Test
  void aRootWithoutRunsSaysSo() throws Exception {
    RunStore store = RunStore.openExisting(root.toString(), new Configuration());
    MissingResultsException e = assertThrows(MissingResultsException.class, store::latestRun);
    assertTrue(e.getMessage().startsWith("no runs under "), e.getMessage());
    MissingResultsException missing =
        assertThrows(
            MissingResultsException.class,
            () -> RunStore.openExisting(root.resolve("nope").toString(), new Configuration()));
    assertTrue(
        missing.getMessage().contains("does not exist (pass --results ROOT)"),
        missing.getMessage());
  }
}
