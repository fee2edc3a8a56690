package dev.llmsweep.spark;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.FinishReason;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.ModelInfo;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.TokenListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntToDoubleFunction;

/**
 * A fake engine for tests of the warm-up and drift logic: it computes nothing and sleeps never;
 * each call's timestamps are made up from a script, so its decode step takes {@code
 * SCRIPT.get(batch size)} applied to the call's number (0-based, counting this generator's calls of
 * that batch size at the point's own max_tokens; the model warm-up's shorter calls do not count),
 * and 1 ms when no script is set. Loaded through {@code spark.llmsweep.generatorFactory} in local
 * mode (the executor is the test's JVM, so the script is visible to it).
 */
public final class ScriptedGenerators implements GeneratorFactory {
  /** Step time in ms by batch size, as a function of the call's number. */
  public static final Map<Integer, IntToDoubleFunction> SCRIPT = new ConcurrentHashMap<>();

  @Override
  public Generator load(String model, ComputeDevice device) {
    return new Scripted(
        new ModelInfo(model, "scripted", 0, 0, 4096, 259, device.name(), device.dtype()));
  }

  /** Its timestamps are made up: the JIT's work in this JVM says nothing about them. */
  @Override
  public JitClock jitClock() {
    return JitClock.NONE;
  }

  /** A generator whose step times follow {@code script} (call number to ms), whatever the batch. */
  static Generator of(IntToDoubleFunction script) {
    Scripted s =
        new Scripted(new ModelInfo("scripted", "scripted", 0, 0, 4096, 259, "cpu", "float32"));
    s.fixed = script;
    return s;
  }

  /**
   * A generator whose step times follow a script per batch size (call number to ms), counting calls
   * of every length: for the model warm-up, whose calls are short.
   */
  static Generator byBatch(Map<Integer, IntToDoubleFunction> scripts) {
    Scripted s =
        new Scripted(new ModelInfo("scripted", "scripted", 0, 0, 4096, 259, "cpu", "float32"));
    s.byBatch = Map.copyOf(scripts);
    return s;
  }

  private static final class Scripted implements Generator {
    private final ModelInfo info;
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private IntToDoubleFunction fixed;
    private Map<Integer, IntToDoubleFunction> byBatch;

    Scripted(ModelInfo info) {
      this.info = info;
    }

    @Override
    public ModelInfo info() {
      return info;
    }

    @Override
    public BatchOutput generate(GenerationRequest request, TokenListener listener) {
      int batch = request.batchSize();
      String key = byBatch != null ? batch + "" : batch + "/" + request.maxTokens();
      int n = calls.merge(key, 1, Integer::sum) - 1;
      IntToDoubleFunction script =
          fixed != null
              ? fixed
              : byBatch != null
                  ? byBatch.getOrDefault(batch, c -> 1.0)
                  : SCRIPT.getOrDefault(batch, c -> 1.0);
      long stepNanos = (long) (script.applyAsDouble(n) * 1e6);
      long submit = System.nanoTime();
      long[] steps = new long[request.maxTokens()];
      for (int s = 0; s < steps.length; s++) {
        steps[s] = submit + 2_000_000L + s * stepNanos;
        int[] ids = new int[batch];
        java.util.Arrays.fill(ids, 3 + s % 200);
        listener.onStep(s, ids, steps[s]);
      }
      List<RequestOutput> out = new ArrayList<>();
      for (int r = 0; r < batch; r++) {
        int[] ids = new int[steps.length];
        java.util.Arrays.fill(ids, 3);
        out.add(
            new RequestOutput(
                request.prompts().get(r).length,
                ids,
                steps.clone(),
                null,
                FinishReason.LENGTH,
                submit));
      }
      return new BatchOutput(submit, steps, steps[steps.length - 1], out);
    }

    @Override
    public int[] encode(String text) {
      return new int[] {3, 4, 5};
    }

    @Override
    public String decode(int[] ids) {
      return "";
    }

    @Override
    public boolean hasTokenizer() {
      return false;
    }

    @Override
    public void close() {}
  }
}
