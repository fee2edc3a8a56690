package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.Fixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code submit generate}: the JSON a script would parse, and clear errors with exit code 2. */
class GenerateCommandTest {

  @Test
  void jsonForALeftPaddedBatchMatchesTransformersGreedyTokens() throws Exception {
    JsonNode ref = Fixtures.reference("tiny-llama");
    String ids =
        ref.get("sequences").get(0).toString().replaceAll("[\\[\\]]", "")
            + ";"
            + ref.get("sequences").get(1).toString().replaceAll("[\\[\\]]", "");
    Submit.Outcome r =
        Submit.run(
            "generate",
            "--model",
            Fixtures.dir("tiny-llama").toString(),
            "--input-ids",
            ids,
            "--max-tokens",
            "20",
            "--ignore-eos",
            "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    JsonNode expected = ref.get("batched").get("greedy_new_tokens");
    for (int i = 0; i < 2; i++) {
      JsonNode req = json.get("requests").get(i);
      assertEquals(expected.get(i), req.get("new_token_ids"));
      assertEquals("length", req.get("finish_reason").asText());
      assertTrue(
          req.get("ttft_ms").asDouble() > 0
              && req.get("e2e_ms").asDouble() >= req.get("ttft_ms").asDouble());
      assertTrue(req.get("tpot_ms").asDouble() > 0);
      assertTrue(!req.has("text"), "no tokenizer, no text");
    }
    assertEquals(19, json.get("decode_ms").size());
    assertTrue(json.get("prefill_ms").asDouble() > 0);
  }

  @Test
  void promptTextOnTheTinyModelPrintsText() throws Exception {
    Submit.Outcome r =
        Submit.run(
            "generate",
            "--prompt",
            "The future of AI is",
            "--max-tokens",
            "5",
            "--json",
            "--temperature",
            "0.7",
            "--top-p",
            "0.9",
            "--seed",
            "3");
    assertEquals(0, r.code(), r.err());
    JsonNode req = new ObjectMapper().readTree(r.out()).get("requests").get(0);
    assertTrue(req.has("text"));
    assertTrue(req.get("new_token_ids").size() >= 1 && req.get("new_token_ids").size() <= 5);
  }

  @Test
  void badInputsExitTwoWithAMessageNamingTheProblem() {
    String[][] cases = {
      {"--input-ids", "1,x,3", "'x' is not a token id"},
      {"--input-ids", "1,99999", "outside the vocabulary"},
      {"--prompt", "hi", "--temperature", "-1", "temperature must be >= 0"},
      {"--prompt", "hi", "--top-p", "0", "top_p must be in (0, 1]"},
      {"--prompt", "hi", "--max-tokens", "0", "max_tokens must be >= 1"},
      {"--prompt", "hi", "--dtype", "bfloat16", "bfloat16 is not supported"},
      {"--prompt", "hi", "--device", "tpu", "device 'tpu' is not valid"},
      {"--prompt", "hi", "--model", "/no/such/dir", "is not a directory"},
      {"--prompt", "hi", "--model", "synthetic:nope", "unknown synthetic preset 'nope'"},
      {
        "--max-tokens",
        "3",
        "missing required argument: one of --prompt=<prompt> | --input-ids=<inputIds>"
      },
    };
    for (String[] c : cases) {
      String[] args = new String[c.length];
      args[0] = "generate";
      System.arraycopy(c, 0, args, 1, c.length - 1);
      Submit.Outcome r = Submit.run(args);
      assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
      assertTrue(r.err().contains(c[c.length - 1]), String.join(" ", args) + " -> " + r.err());
    }
  }

  @Test
  void generateRunsWithoutSparkOnTheClasspath() throws Exception {
    // the classpath `submit generate` uses: the project's classes and its non-provided dependencies
    String deps =
        java.nio.file.Files.readString(java.nio.file.Path.of("target/classpath-engine.txt")).trim();
    assertTrue(
        !deps.contains("spark-core") && !deps.contains("spark-sql"),
        "Spark leaked into the engine classpath");
    String javaBin =
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                javaBin,
                "--add-modules",
                "jdk.incubator.vector",
                "-cp",
                "target/classes:" + deps,
                "dev.llmsweep.cli.Main",
                "generate",
                "--input-ids",
                "1,5,9",
                "--max-tokens",
                "3",
                "--json")
            .redirectErrorStream(false)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), err);
    assertTrue(
        new ObjectMapper().readTree(out).get("requests").get(0).get("new_token_ids").size() >= 1,
        out);
  }

  @Test
  void promptTextWithoutATokenizerIsAClearError() {
    Submit.Outcome r =
        Submit.run(
            "generate", "--model", Fixtures.dir("tiny-mistral").toString(), "--prompt", "hello");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no tokenizer.json") && r.err().contains("--input-ids"), r.err());
  }
}
