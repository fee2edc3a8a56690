package dev.llmsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.Fixtures;
import dev.llmsweep.errors.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation behaviour a user sees: sampling determinism, stops, finish reasons, timings. */
class GenerationTest {
  private static LlamaGenerator tiny;

  @BeforeAll
  static void load() {
    tiny = Engines.load("tiny", ComputeDevice.cpu());
  }

  @AfterAll
  static void close() {
    tiny.close();
  }

  private static List<int[]> prompts(String... texts) {
    List<int[]> out = new ArrayList<>();
    for (String t : texts) {
      out.add(tiny.encode(t));
    }
    return out;
  }

  private static int[][] tokens(BatchOutput out) {
    return out.requests().stream().map(RequestOutput::newTokenIds).toArray(int[][]::new);
  }

  @Test
  void sameSeedGivesTheSameTokensAndAnotherSeedDiffers() {
    List<int[]> batch = prompts("The future of AI is", "Summer is");
    GenerationRequest a =
        new GenerationRequest(batch, 24, new SamplingParams(1.0, 0.95, 0, 11), true, List.of());
    GenerationRequest b =
        new GenerationRequest(batch, 24, new SamplingParams(1.0, 0.95, 0, 12), true, List.of());
    int[][] first = tokens(tiny.generate(a, TokenListener.NONE));
    int[][] again = tokens(tiny.generate(a, TokenListener.NONE));
    int[][] other = tokens(tiny.generate(b, TokenListener.NONE));
    assertArrayEquals(first, again);
    assertFalse(
        Arrays.deepEquals(first, other), "a different seed should change a 24-token sample");
  }

  @Test
  void topKOneAndTinyTopPMatchGreedyOnTheModel() {
    List<int[]> batch = prompts("The president of France is", "Hi");
    int[][] greedy = tokens(tiny.generate(GenerationRequest.greedy(batch, 16), TokenListener.NONE));
    int[][] topK =
        tokens(
            tiny.generate(
                new GenerationRequest(
                    batch, 16, new SamplingParams(1.3, 1.0, 1, 3), false, List.of()),
                TokenListener.NONE));
    int[][] topP =
        tokens(
            tiny.generate(
                new GenerationRequest(
                    batch, 16, new SamplingParams(0.7, 1e-9, 0, 3), false, List.of()),
                TokenListener.NONE));
    assertArrayEquals(greedy, topK);
    assertArrayEquals(greedy, topP);
  }

  @Test
  void listenerSeesEveryTokenOnceWithMonotonicHostTimes() {
    List<int[]> batch = prompts("a", "a much longer prompt than the first");
    List<int[]> seen = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    GenerationRequest request =
        new GenerationRequest(batch, 12, SamplingParams.greedy(), true, List.of());
    BatchOutput out =
        tiny.generate(
            request,
            (step, ids, nanos) -> {
              assertEquals(seen.size(), step);
              seen.add(ids.clone());
              times.add(nanos);
            });
    assertEquals(12, seen.size());
    for (int i = 1; i < times.size(); i++) {
      assertTrue(times.get(i) > times.get(i - 1), "step times must increase");
    }
    assertTrue(times.get(0) > out.submitNanos());
    assertTrue(out.endNanos() >= times.get(times.size() - 1));
    for (int r = 0; r < 2; r++) {
      RequestOutput req = out.requests().get(r);
      assertEquals(12, req.newTokenIds().length);
      for (int s = 0; s < 12; s++) {
        assertEquals(req.newTokenIds()[s], seen.get(s)[r]);
        assertEquals(times.get(s), req.tokenHostNanos()[s]);
      }
      assertEquals(FinishReason.LENGTH, req.finishReason());
    }
  }

  @Test
  void stopStringEndsTheRequestAndCutsTheText() {
    List<int[]> batch = prompts("Once upon a time");
    RequestOutput full =
        tiny.generate(GenerationRequest.greedy(batch, 24), TokenListener.NONE).requests().get(0);
    String text = full.text();
    assertNotNull(text);
    // a stop string taken from the middle of what greedy produces
    int[] ids = full.newTokenIds();
    String prefix = tiny.decode(Arrays.copyOf(ids, 6));
    String stop = tiny.decode(Arrays.copyOfRange(ids, 6, 8));
    GenerationRequest withStop =
        new GenerationRequest(batch, 24, SamplingParams.greedy(), false, List.of(stop));
    RequestOutput cut = tiny.generate(withStop, TokenListener.NONE).requests().get(0);
    assertEquals(FinishReason.STOP_STRING, cut.finishReason());
    assertTrue(cut.newTokenIds().length <= 8);
    assertEquals(text.substring(0, text.indexOf(stop)), cut.text());
    assertTrue(
        prefix.startsWith(cut.text())
            || cut.text()
                .startsWith(prefix.substring(0, Math.min(prefix.length(), cut.text().length()))));
  }

  @Test
  void eosEndsARequestUnlessIgnoredAndFinishedRowsReportMinusOne(@TempDir Path dir)
      throws IOException {
    // tiny-llama's greedy output for its first sequence starts 141, 141, 140, 100: make 140 the EOS
    Path model = copyFixture("tiny-llama", dir);
    Files.writeString(model.resolve("generation_config.json"), "{\"eos_token_id\": [140, 2]}");
    int[] first = Fixtures.ints(Fixtures.reference("tiny-llama").get("sequences").get(0));
    int[] second = Fixtures.ints(Fixtures.reference("tiny-llama").get("sequences").get(1));
    try (LlamaGenerator g = Engines.load(model.toString(), ComputeDevice.cpu())) {
      List<int[]> seen = new ArrayList<>();
      BatchOutput stopped =
          g.generate(
              GenerationRequest.greedy(List.of(first, second), 10), (s, ids, t) -> seen.add(ids));
      RequestOutput r0 = stopped.requests().get(0);
      assertArrayEquals(new int[] {141, 141, 140}, r0.newTokenIds());
      assertEquals(FinishReason.EOS, r0.finishReason());
      assertEquals(3, r0.tokenHostNanos().length);
      if (stopped.requests().get(1).newTokenIds().length > 3) {
        assertEquals(-1, seen.get(3)[0], "a finished row is reported as -1");
      }
      BatchOutput ignored =
          g.generate(
              new GenerationRequest(List.of(first), 10, SamplingParams.greedy(), true, List.of()),
              TokenListener.NONE);
      assertEquals(10, ignored.requests().get(0).newTokenIds().length);
      assertEquals(FinishReason.LENGTH, ignored.requests().get(0).finishReason());
      assertNull(r0.text(), "a model without tokenizer.json has no text");
      assertThrows(IllegalStateException.class, () -> g.encode("text"));
    }
  }

  @Test
  void promptPlusMaxTokensBeyondTheContextIsRefused() {
    int[] prompt = new int[100];
    prompt[0] = 1;
    int tooMany = tiny.info().maxContext();
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                tiny.generate(
                    GenerationRequest.greedy(List.of(prompt), tooMany), TokenListener.NONE));
    assertTrue(e.getMessage().contains("context"), e.getMessage());
  }

  static Path copyFixture(String name, Path dir) throws IOException {
    Path target = dir.resolve(name);
    Files.createDirectories(target);
    try (var files = Files.list(Fixtures.dir(name))) {
      for (Path f : files.toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    return target;
  }

  private static void assertNull(Object o, String message) {
    org.junit.jupiter.api.Assertions.assertNull(o, message);
  }
}
