package dev.llmsweep.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Engines;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.LlamaGenerator;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The libtorch operations one TorchScript decode step runs, counted by libtorch's own profiler
 * around {@code steps} decode steps of one batch-1 generation: what the step's host time is made of
 * (each top-level operation is a pass through the interpreter and the dispatcher; on a GPU most
 * launch a kernel). Runs on any device; on the CPU the graph executor fuses nothing, so an
 * elementwise chain a GPU runs as one fused kernel counts as several operations here.
 *
 * <pre>
 * java ... dev.llmsweep.bench.StepOps MODEL DEVICE DTYPE [STEPS]   (e.g. synthetic:mistral-7b-v0.3 cpu float32 8)
 * </pre>
 *
 * On the CPU run it with {@code -Dllmsweep.hostKernel=false} (the TorchScript path, not the CPU
 * kernels).
 */
public final class StepOps {
  private StepOps() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || args.length > 4) {
      System.err.println(
          "usage: StepOps MODEL DEVICE DTYPE [STEPS]   (e.g. synthetic:tiny cpu float32 8)");
      System.exit(2);
    }
    int steps = args.length == 4 ? Integer.parseInt(args[3]) : 8;
    int first = 10; // the graph executor has optimised the method by then
    Path trace = Files.createTempFile("llm-sweep-step-ops", ".json");
    try (LlamaGenerator g = Engines.load(args[0], ComputeDevice.parse(args[1], args[2]))) {
      System.out.printf(
          "%s on %s %s (%s backend)%n", args[0], args[1], args[2], g.model().backend());
      GenerationRequest request =
          new GenerationRequest(
              List.of(new int[] {1, 2, 3, 4}),
              first + steps + 2,
              SamplingParams.greedy(),
              true,
              List.of());
      g.generate(request, TokenListener.NONE);
      TokenListener profiled =
          (step, ids, nanos) -> {
            if (step == first) {
              JniUtils.startProfile(false, false, false);
            } else if (step == first + steps) {
              JniUtils.stopProfile(trace.toString());
            }
          };
      g.generate(request, profiled);
    }
    report(trace, steps);
    Files.deleteIfExists(trace);
  }

  /** Top-level operations (not nested in another) per step, in all and by name. */
  static void report(Path trace, int steps) throws Exception {
    JsonNode events = new ObjectMapper().readTree(trace.toFile());
    List<long[]> spans = new ArrayList<>(); // [start, end, index]
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      String name = e.path("name").asText();
      if (e.has("dur") && (name.startsWith("aten::") || name.startsWith("prim::"))) {
        long ts = Math.round(e.get("ts").asDouble() * 1000);
        spans.add(new long[] {ts, ts + Math.round(e.get("dur").asDouble() * 1000), i});
      }
    }
    spans.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
    Map<String, Integer> byName = new TreeMap<>();
    long end = Long.MIN_VALUE;
    int top = 0;
    for (long[] s : spans) {
      if (s[0] >= end) { // not inside the last top-level operation
        top++;
        byName.merge(events.get((int) s[2]).get("name").asText(), 1, Integer::sum);
        end = s[1];
      }
    }
    System.out.printf(
        Locale.ROOT,
        "operations per decode step: %.1f top-level, %.1f with nested ones (%d steps)%n",
        (double) top / steps,
        (double) spans.size() / steps,
        steps);
    byName.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT, "  %7.1f  %s%n", (double) e.getValue() / steps, e.getKey()));
  }
}
