package dev.llmsweep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Engines;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.LlamaGenerator;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The golden fixtures' batched greedy runs on any device and dtype, for where the test suite cannot
 * go (a GPU, float16). For each fixture (a folder with {@code reference.json}, as under {@code
 * src/test/resources/fixtures}) the left-padded batch generates as many tokens as transformers did;
 * each row either matches, or its first divergence is reported with the margin between the two
 * candidates in the engine's own logits at that point (the prompt plus the common prefix run
 * alone): below 1e-2 the two are a near-tie that float16 rounding may flip.
 *
 * <pre>java ... dev.llmsweep.bench.GoldenCheck FIXTURES_DIR gpu:0 float16</pre>
 *
 * Exit status 0 when every row matches or diverges at a near-tie, 1 otherwise.
 */
public final class GoldenCheck {
  static final double NEAR_TIE = 1e-2;

  private GoldenCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println(
          "usage: GoldenCheck FIXTURES_DIR DEVICE DTYPE   (e.g. src/test/resources/fixtures gpu:0 float16)");
      System.exit(2);
    }
    ComputeDevice device = ComputeDevice.parse(args[1], args[2]);
    List<Path> fixtures;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      fixtures = s.filter(d -> Files.isRegularFile(d.resolve("reference.json"))).sorted().toList();
    }
    boolean ok = !fixtures.isEmpty();
    for (Path dir : fixtures) {
      ok &= check(dir, device);
    }
    System.out.println(
        ok ? "golden check: every row matches or diverges at a near-tie" : "golden check: FAILED");
    System.exit(ok ? 0 : 1);
  }

  static boolean check(Path dir, ComputeDevice device) throws Exception {
    JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
    List<int[]> prompts = new ArrayList<>();
    for (JsonNode seq : ref.get("sequences")) {
      prompts.add(ints(seq));
    }
    JsonNode expected = ref.get("batched").get("greedy_new_tokens");
    boolean ok = true;
    try (LlamaGenerator g = Engines.load(dir.toString(), device)) {
      int n = expected.get(0).size();
      BatchOutput out =
          g.generate(
              new GenerationRequest(prompts, n, SamplingParams.greedy(), true, List.of()),
              TokenListener.NONE);
      for (int r = 0; r < prompts.size(); r++) {
        int[] want = ints(expected.get(r));
        int[] got = out.requests().get(r).newTokenIds();
        int at = 0;
        while (at < Math.min(want.length, got.length) && want[at] == got[at]) {
          at++;
        }
        String name =
            String.format(
                Locale.ROOT,
                "%s on %s %s, row %d:",
                dir.getFileName(),
                device.name(),
                device.dtype(),
                r);
        if (at == want.length && got.length == want.length) {
          System.out.printf(Locale.ROOT, "%s %d of %d tokens match%n", name, at, want.length);
          continue;
        }
        int[] context = Arrays.copyOf(prompts.get(r), prompts.get(r).length + at);
        System.arraycopy(want, 0, context, prompts.get(r).length, at);
        float[] logits = g.promptLogits(context)[context.length - 1];
        int ours = at < got.length ? got[at] : -1;
        double margin = ours < 0 ? Double.NaN : Math.abs(logits[ours] - logits[want[at]]);
        boolean tie = margin < NEAR_TIE;
        ok &= tie;
        System.out.printf(
            Locale.ROOT,
            "%s first divergence at token %d: expected %d, got %d, logit margin %.2e (%s)%n",
            name,
            at,
            want[at],
            ours,
            margin,
            tie ? "near-tie" : "NOT a near-tie");
      }
    }
    return ok;
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }
}
