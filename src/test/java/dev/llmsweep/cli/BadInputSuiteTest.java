package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.Fixtures;
import dev.llmsweep.analysis.SweepFixture;
import dev.llmsweep.cli.Submit.Outcome;
import dev.llmsweep.model.ExpectedTensors;
import dev.llmsweep.model.LlamaConfig;
import dev.llmsweep.weights.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input anywhere is exit code 2 with a message naming what is wrong, never a stack trace: job
 * files, model directories (found while planning, before any device time), {@code submit}
 * arguments, results roots that cannot be written, and {@code sql} queries. One row per input: how
 * to make it, then what the message must say. Every job- and model-file row runs the job ({@code
 * ./submit JOB --results R}) and also checks that nothing was written under R.
 *
 * <p>Bad inputs tested elsewhere, not repeated here: {@code BadJobFileTest} (unknown keys with a
 * suggestion, wrong types, empty axes, non-positive sizes, context overflow, unknown preset,
 * missing model directory and config.json, literal prompts on a synthetic model, unequal zip and a
 * bad device, HOCON syntax and a missing job file, duplicate names and dtypes), {@code
 * BadArgumentsTest} (run id, unknown profile, {@code --conf} without a value, unknown option),
 * {@code GenerateCommandTest} (eleven bad {@code generate} arguments, text without a tokenizer),
 * {@code CheckpointErrorsTest} (the same broken checkpoints at load time, corrupt header) and
 * {@code RunReliabilityTest} (a run id reused with another job file).
 */
class BadInputSuiteTest {
  @TempDir static Path shared;

  /** Makes the input under a fresh directory and returns the command line. */
  interface Input {
    String[] args(Path dir) throws Exception;
  }

  static Stream<Arguments> inputs() {
    return Stream.of(
        // job files
        row(
            "point_timeout_s below zero",
            d ->
                run(
                    d,
                    job(d, "model = tiny, axes { prompt_tokens = 4 }," + " point_timeout_s = -5")),
            "job.conf:4: experiments[0].point_timeout_s is -5; expected an integer >= 0"),
        row(
            "point_timeout_s with a unit",
            d ->
                run(
                    d,
                    job(d, "model = tiny, axes { prompt_tokens = 4 }," + " point_timeout_s = 1h")),
            "experiments[0].point_timeout_s is a string (\"1h\"); expected an integer >= 0"),
        row(
            "top_p above 1",
            d -> run(d, job(d, "axes { prompt_tokens = 4, top_p = [0.5, 1.5] }")),
            "experiments[0].axes.top_p has 1.5, which is out of range"),
        row(
            "negative temperature",
            d -> run(d, job(d, "axes { prompt_tokens = 4, temperature = -0.1 }")),
            "experiments[0].axes.temperature has -0.1, which is out of range"),
        row(
            "fractional batch size",
            d -> run(d, job(d, "axes { prompt_tokens = 4, batch_size = 2.5 }")),
            "experiments[0].axes.batch_size has 2.5; expected"),
        row(
            "negative warmups",
            d -> run(d, job(d, "axes { prompt_tokens = 4 }, warmups = -1")),
            "experiments[0].warmups is -1; expected an integer >= 0"),
        row(
            "stop strings on a model without a tokenizer",
            d ->
                run(
                    d,
                    job(
                        d,
                        "model = \"synthetic:bench-110m\", axes { prompt_tokens = 4 }, stop = [\"\\n\"]")),
            "stop strings need a tokenizer"),
        row(
            "zip of an axis that is not swept",
            d ->
                run(
                    d,
                    job(
                        d,
                        "axes { prompt_tokens = 4, batch_size = [1, 2] }, zip = [[batch_size, seeds]]")),
            "experiments[0].zip names 'seeds', which is not an axis of this experiment"),
        row("a directory as the job file", d -> run(d, d.toString()), "no such job file"),
        // model directories: found while planning, before Spark starts
        row(
            "truncated safetensors",
            d -> {
              Path m = model(d, "tiny-llama");
              try (FileChannel ch =
                  FileChannel.open(m.resolve("model.safetensors"), StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() - 1000);
              }
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "model.safetensors: truncated safetensors file: tensor 'model.layers.1."),
        row(
            "a missing tensor",
            d -> {
              Path m = d.resolve("m");
              Files.createDirectories(m);
              Files.copy(
                  Fixtures.dir("tiny-llama").resolve("config.json"), m.resolve("config.json"));
              SafetensorsWriter w = new SafetensorsWriter();
              for (Map.Entry<String, long[]> t :
                  ExpectedTensors.of(LlamaConfig.read(m)).entrySet()) {
                if (!t.getKey().equals("model.layers.1.mlp.down_proj.weight")) {
                  w.add(
                      t.getKey(),
                      t.getValue(),
                      new float
                          [(int) java.util.Arrays.stream(t.getValue()).reduce(1, (x, y) -> x * y)]);
                }
              }
              w.write(m.resolve("model.safetensors"));
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "tensor 'model.layers.1.mlp.down_proj.weight' is missing from the checkpoint"),
        row(
            "a tensor of the wrong shape",
            d -> {
              Path m = model(d, "tiny-llama");
              edit(
                  m.resolve("config.json"),
                  "\"intermediate_size\": 160",
                  "\"intermediate_size\": 192");
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "model.safetensors: tensor 'model.layers.0.mlp.gate_proj.weight' has shape [160, 64] but the config implies"
                + " [192, 64]"),
        row(
            "a tensor of an unsupported dtype",
            d -> {
              Path m = model(d, "tiny-llama");
              retypeFirstTensor(m.resolve("model.safetensors"), "F32", "I32");
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "has dtype I32: accepted are F32, F16, BF16"),
        row(
            "an unsupported architecture",
            d -> {
              Path m = model(d, "tiny-llama");
              edit(m.resolve("config.json"), "LlamaForCausalLM", "GPT2LMHeadModel");
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "config.json: architecture 'GPT2LMHeadModel'",
            "MistralForCausalLM"),
        row(
            "a missing shard",
            d -> {
              Path m = model(d, "tiny-linear-f16-sharded");
              Files.delete(m.resolve("model-00002-of-00003.safetensors"));
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "names shard 'model-00002-of-00003.safetensors' which does not exist"),
        row(
            "an incomplete shard",
            d -> {
              Path m = model(d, "tiny-linear-f16-sharded");
              edit(
                  m.resolve("model.safetensors.index.json"),
                  "\"model.embed_tokens.weight\": \"model-00001-of-00003",
                  "\"model.embed_tokens.weight\": \"model-00003-of-00003");
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "model-00003-of-00003.safetensors: tensor 'model.embed_tokens.weight' is listed in the index but missing"
                + " from this shard (incomplete shard?)"),
        row(
            "a config without hidden_size",
            d -> {
              Path m = model(d, "tiny-llama");
              edit(m.resolve("config.json"), "\"hidden_size\": 64,", "");
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "config.json: required key 'hidden_size' is missing"),
        row(
            "config.json that is not JSON",
            d -> {
              Path m = model(d, "tiny-llama");
              Files.writeString(m.resolve("config.json"), "{ \"architectures\": [");
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "config.json: is not valid JSON"),
        row(
            "literal prompts on a model without tokenizer.json",
            d -> {
              Path m = model(d, "tiny-llama");
              return run(d, job(d, "model = \"" + m + "\", prompts = [\"Hello\"]"));
            },
            "literal prompts need",
            "tokenizer.json, which does not exist"),
        row(
            "a tokenizer.json that does not load",
            d -> {
              Path m = model(d, "tiny-llama");
              Files.writeString(
                  m.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": 42}");
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "tokenizer.json: cannot be loaded as a Hugging Face tokenizer"),
        row(
            "no weights at all",
            d -> {
              Path m = model(d, "tiny-llama");
              Files.delete(m.resolve("model.safetensors"));
              return run(d, job(d, "model = \"" + m + "\", axes { prompt_tokens = 4 }"));
            },
            "no model.safetensors or model.safetensors.index.json"),
        // command lines
        row(
            "plan without a job file",
            d -> new String[] {"plan"},
            "Missing required parameter: 'JOB'"),
        row(
            "a negative sql limit",
            d -> new String[] {"sql", "--limit", "0", "SELECT 1"},
            "--limit must be at least 1"),
        row(
            "a results root that is a regular file",
            d -> {
              Path f = Files.writeString(d.resolve("results.txt"), "x");
              return new String[] {job(d, "axes { prompt_tokens = 4 }"), "--results", f.toString()};
            },
            "results.txt is a file, not a directory"),
        row(
            "a results root under a regular file",
            d -> {
              Path f = Files.writeString(d.resolve("file"), "x");
              return new String[] {
                job(d, "axes { prompt_tokens = 4 }"), "--results", f.resolve("results").toString()
              };
            },
            "file/results cannot be written"),
        // sql queries against a results root with a run
        row(
            "sql with a syntax error",
            d -> sql("SELECT *\nFROM points ORDER BY BY batch_size"),
            "invalid query: [PARSE_SYNTAX_ERROR] Syntax error at or near 'batch_size'",
            "(line 2, pos 24)"),
        row(
            "sql naming an unknown column",
            d -> sql("SELECT latency FROM batch_sweep"),
            "invalid query: [UNRESOLVED_COLUMN",
            "`latency`"),
        row(
            "sql naming an unknown view",
            d -> sql("SELECT * FROM batch_sweeps"),
            "invalid query: [TABLE_OR_VIEW_NOT_FOUND]",
            "`batch_sweeps`"),
        row(
            "sql for a run that does not exist",
            d ->
                new String[] {
                  "sql",
                  "--results",
                  SweepFixture.root().toString(),
                  "--run-id",
                  "no-such-run",
                  "SELECT 1"
                },
            "no run 'no-such-run' under",
            "runs there: run-sweep"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void isExitTwoWithAClearMessage(String name, Input input, List<String> expected)
      throws Exception {
    Path dir = Files.createTempDirectory(shared, "case");
    String[] args = input.args(dir);
    Outcome r = Submit.run(args);
    assertEquals(2, r.code(), () -> name + ": exit code; stderr: " + r.err());
    assertTrue(r.err().startsWith("error: "), () -> name + ": " + r.err());
    assertFalse(
        r.err().contains("\tat ") || r.err().contains("Exception in thread"),
        () -> "stack trace: " + r.err());
    for (String e : expected) {
      assertTrue(r.err().contains(e), () -> name + ": expected '" + e + "' in: " + r.err());
    }
    assertFalse(Files.exists(dir.resolve("results")), "nothing written for bad input");
  }

  private static Arguments row(String name, Input input, String... expected) {
    return Arguments.of(name, input, List.of(expected));
  }

  /** {@code ./submit JOB --results DIR/results}. */
  private static String[] run(Path dir, String job) {
    return new String[] {job, "--results", dir.resolve("results").toString()};
  }

  private static String[] sql(String query) {
    return new String[] {"sql", "--results", SweepFixture.root().toString(), query};
  }

  /** A one-experiment job file whose experiment is {@code name = x} and {@code body}, on line 4. */
  private static String job(Path dir, String body) throws IOException {
    Path f = dir.resolve("job.conf");
    Files.writeString(f, "name = bad\nexperiments = [\n  {\n    name = x, " + body + "\n  }\n]\n");
    return f.toString();
  }

  private static Path model(Path dir, String fixture) throws IOException {
    Path m = dir.resolve("m");
    Files.createDirectories(m);
    try (Stream<Path> files = Files.list(Fixtures.dir(fixture))) {
      for (Path f : files.toList()) {
        Files.copy(f, m.resolve(f.getFileName()));
      }
    }
    return m;
  }

  private static void edit(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertTrue(text.contains(from), file + " lacks " + from);
    Files.writeString(file, text.replace(from, to));
  }

  /**
   * Rewrites the first dtype in a safetensors header (same length, so the file stays consistent).
   */
  private static void retypeFirstTensor(Path file, String from, String to) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    String retyped = header.replaceFirst("\"" + from + "\"", "\"" + to + "\"");
    assertFalse(header.equals(retyped), "no " + from + " tensor in " + file);
    System.arraycopy(retyped.getBytes(StandardCharsets.UTF_8), 0, bytes, 8, (int) headerLength);
    Files.write(file, bytes);
  }
}
