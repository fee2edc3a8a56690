package dev.llmsweep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job file's {@code compare { }} block: defaults, accepted values, and file:line errors. */
class CompareBlockTest {
  @TempDir Path dir;

  static final String EXPERIMENTS = "experiments = [ { name = e, axes { prompt_tokens = 4 } } ]\n";

  Job read(String text) throws Exception {
    return JobReader.read(Files.writeString(dir.resolve("j.conf"), text));
  }

  @Test
  void defaultsAndAcceptedValues() throws Exception {
    CompareSettings none = read(EXPERIMENTS).compare();
    assertNull(none.baseline());
    assertEquals(0.10, none.threshold());
    CompareSettings previous =
        read("compare { baseline = previous, threshold = 0.2 }\n" + EXPERIMENTS).compare();
    assertEquals("previous", previous.baseline());
    assertEquals(0.2, previous.threshold());
    assertEquals(
        "20260101-020000-ab12",
        read("compare.baseline = 20260101-020000-ab12\n" + EXPERIMENTS).compare().baseline());
    assertEquals(
        "last:5", read("compare { baseline = \"last:5\" }\n" + EXPERIMENTS).compare().baseline());
  }

  @Test
  void theNightlyJobJudgesAgainstItsLastFiveRuns() throws Exception {
    assertEquals(
        "last:5", JobReader.read(java.nio.file.Path.of("jobs/nightly.conf")).compare().baseline());
  }

  @Test
  void aHistoryOfNoRunsIsRefusedWithWhatIsAccepted() {
    JobFileException e =
        assertThrows(
            JobFileException.class,
            () -> read(EXPERIMENTS + "compare {\n  baseline = \"last:0\"\n}\n"));
    assertTrue(
        e.getMessage()
            .contains(
                "j.conf:3: compare.baseline 'last:0' is not accepted; accepted: none, previous,"
                    + " last:N (N from 1 to 100"),
        e.getMessage());
  }

  @Test
  void badValuesNameFileLineAndWhatIsAccepted() {
    JobFileException e =
        assertThrows(
            JobFileException.class,
            () ->
                read(
                    EXPERIMENTS
                        + "compare {\n  baseline = \"../etc\"\n  threshold = 1.5\n  treshold = 0.1\n}\n"));
    String m = e.getMessage();
    assertTrue(
        m.contains(
            "j.conf:3: compare.baseline '../etc' is not accepted; accepted: none, previous, last:N"),
        m);
    assertTrue(
        m.contains(
            "j.conf:4: compare.threshold 1.5 is not accepted; expected a fraction in (0, 1)"),
        m);
    assertTrue(
        m.contains("j.conf:5: compare.treshold is not a known key (did you mean 'threshold'?)"), m);
  }

  @Test
  void aManifestsJobJsonGivesTheSameSettings() {
    assertEquals(
        0.25, JobReader.compareSettings("{\"compare\":{\"threshold\":0.25}}", "run r").threshold());
    assertEquals(0.10, JobReader.compareSettings("{}", "run r").threshold());
  }
}
