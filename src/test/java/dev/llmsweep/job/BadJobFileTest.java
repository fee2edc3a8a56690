package dev.llmsweep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.cli.Submit;
import dev.llmsweep.cli.Submit.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every class of bad job input is exit code 2 with a message naming the file, the line, the key and
 * what is accepted, and nothing is written: no results root appears even for {@code run}.
 */
class BadJobFileTest {
  @TempDir Path dir;

  /** A one-experiment job; {@code body} replaces the experiment's contents. */
  private Path job(String body) throws IOException {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, "name = bad\nexperiments = [\n  {\n    name = x\n" + body + "\n  }\n]\n");
    return f;
  }

  /** Runs the job file (the default subcommand) and checks exit 2, no results, and the message. */
  private String rejected(Path job, String... expected) {
    Path results = dir.resolve("results");
    Outcome r = Submit.run(job.toString(), "--results", results.toString());
    assertEquals(2, r.code(), () -> "exit code; stderr: " + r.err());
    assertFalse(Files.exists(results), "nothing may be written for a bad job file");
    assertTrue(r.err().startsWith("error: "), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    for (String e : expected) {
      assertTrue(r.err().contains(e), () -> "expected '" + e + "' in: " + r.err());
    }
    Outcome plan = Submit.run("plan", job.toString());
    assertEquals(2, plan.code(), "plan rejects it too");
    return r.err();
  }

  @Test
  void unknownExperimentKeyNamesLineAndSuggestsTheRightOne() throws IOException {
    Path f = job("    prompts = [\"hi\"]\n    repetition = 3");
    rejected(
        f,
        f + ":6",
        "experiments[0].repetition",
        "is not a known key",
        "did you mean 'repetitions'",
        "accepted: name, model");
  }

  @Test
  void unknownTopLevelKeyAndUnknownAxis() throws IOException {
    Path f = dir.resolve("top.conf");
    Files.writeString(
        f,
        "name = t\nexperimentz = []\nexperiments = [ { name = x, prompts = [\"a\"],"
            + " axes { batch_sise = [1] } } ]\n");
    rejected(
        f,
        f + ":2: experimentz is not a known key",
        "did you mean 'experiments'",
        f + ":3: experiments[0].axes.batch_sise is not a known axis",
        "accepted: batch_size, max_tokens");
  }

  @Test
  void wrongTypes() throws IOException {
    Path f =
        job(
            "    prompts = [\"hi\"]\n    axes { batch_size = [1, \"eight\"] }\n    ignore_eos = 3\n"
                + "    repetitions = 2.5");
    rejected(
        f,
        f
            + ":6: experiments[0].axes.batch_size has a string (\"eight\"); expected a positive integer",
        f + ":7: experiments[0].ignore_eos is a number (3); expected true or false",
        f + ":8: experiments[0].repetitions is a number (2.5); expected a positive integer",
        "3 problems");
  }

  @Test
  void emptyAxesAndEmptyExperimentList() throws IOException {
    Path f = job("    prompts = [\"hi\"]\n    axes { max_tokens = [] }");
    rejected(
        f, f + ":6: experiments[0].axes.max_tokens is empty; an axis needs at least one value");
    Path g = dir.resolve("none.conf");
    Files.writeString(g, "experiments = []\n");
    rejected(g, g + ":1: experiments is empty; expected at least one experiment");
  }

  @Test
  void nonPositiveSizes() throws IOException {
    Path f =
        job(
            "    prompts = [\"hi\"]\n    axes { batch_size = [0, 4], max_tokens = -8, top_p = 1.5 }\n"
                + "    repetitions = 0\n    warmups = -1");
    rejected(
        f,
        "axes.batch_size has 0, which is out of range; expected a positive integer",
        "axes.max_tokens has -8, which is out of range; expected a positive integer",
        "axes.top_p has 1.5, which is out of range; expected a number in (0, 1]",
        f + ":7: experiments[0].repetitions is 0; expected a positive integer",
        f + ":8: experiments[0].warmups is -1; expected an integer >= 0");
  }

  @Test
  void promptPlusMaxTokensBeyondTheContext() throws IOException {
    Path f = job("    axes { prompt_tokens = [16, 100], max_tokens = 4000 }");
    rejected(
        f,
        f
            + ":5: experiments[0] (x): prompt of 100 tokens + max_tokens 4000 = 4100 exceeds the context of"
            + " tiny (4096 tokens); accepted: prompt tokens + max_tokens <= 4096");
  }

  @Test
  void unknownPresetListsTheKnownOnes() throws IOException {
    Path f = job("    model = \"synthetic:gpt-9\"\n    axes { prompt_tokens = 8 }");
    rejected(
        f,
        f + ":5: experiments[0] (x).model 'synthetic:gpt-9'",
        "unknown synthetic preset 'gpt-9'",
        "accepted are mistral-7b-v0.3");
  }

  @Test
  void missingModelDirectoryAndMissingConfig() throws IOException {
    Path missing = dir.resolve("no-such-model");
    Path f = job("    model = \"" + missing + "\"\n    axes { prompt_tokens = 8 }");
    rejected(
        f, f + ":5: experiments[0] (x).model", "is not a directory", "tiny, synthetic:<preset>");
    Path empty = Files.createDirectories(dir.resolve("empty-model"));
    Path g = job("    model = \"" + empty + "\"\n    axes { prompt_tokens = 8 }");
    rejected(g, g + ":5: experiments[0] (x).model", "config.json");
  }

  @Test
  void literalPromptsNeedATokenizer() throws IOException {
    Path f = job("    model = \"synthetic:tinyllama-1.1b\"\n    prompts = [\"Hello\"]");
    rejected(
        f, "literal prompts need a tokenizer", "use synthetic prompts (axes.prompt_tokens = N)");
  }

  @Test
  void zipOfUnequalAxesAndBadDevice() throws IOException {
    Path f =
        job(
            "    prompts = [\"hi\"]\n    axes { batch_size = [1, 2], max_tokens = [8, 16, 32] }\n"
                + "    zip = [[batch_size, max_tokens]]\n    device = tpu");
    rejected(
        f,
        f + ":7: experiments[0].zip zips axes of different lengths (batch_size: 2, max_tokens: 3)",
        f + ":8: experiments[0].device 'tpu' is not accepted; accepted: cpu, gpu");
  }

  @Test
  void syntaxErrorsAndMissingFiles() throws IOException {
    Path f = dir.resolve("broken.conf");
    Files.writeString(f, "name = half\nexperiments = [\n  { name = x, axes { batch_size = [1, 2\n");
    rejected(
        f,
        f
            + ":4: the file ends inside an unclosed '[' or '{' (half-written?); accepted: HOCON with every"
            + " bracket closed");
    Path g = dir.resolve("colon.conf");
    Files.writeString(g, "name = colon\nexperiments = [\n  { name = x, repetitions = 2 3 : }\n]\n");
    rejected(g, g + ":3: not valid HOCON: ");
    rejected(dir.resolve("nope.conf"), "nope.conf: no such job file");
  }

  @Test
  void duplicateNamesAndDtypes() throws IOException {
    Path f = dir.resolve("dup.conf");
    Files.writeString(
        f,
        "experiments = [\n { name = a, prompts = [\"x\"] }\n"
            + " { name = a, prompts = [\"y\"], dtype = bfloat16 }\n]\n");
    rejected(f, f + ":3: experiments[1].name 'a' is used twice");
    Path g = job("    prompts = [\"hi\"]\n    dtype = bfloat16");
    rejected(g, g + ":6: experiments[0] (x).dtype", "bfloat16 is not supported");
  }
}
