package dev.llmsweep.spark;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.TokenListener;
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
    return new Scripted(model, device);
  }

  /** Its timestamps are made up: the JIT's work in this JVM says nothing about them. */
  @Override
  public JitClock jitClock() {
    return JitClock.NONE;
  }

  /** A generator whose step times follow {@code script} (call number to ms), whatever the batch. */
  static Generator of(IntToDoubleFunction script) {
    Scripted s = new Scripted();
    s.fixed = script;
    return s;
  }

  /**
   * A generator whose step times follow a script per batch size (call number to ms), counting calls
   * of every length: for the model warm-up, whose calls are short.
   */
  static Generator byBatch(Map<Integer, IntToDoubleFunction> scripts) {
    Scripted s = new Scripted();
    s.byBatch = Map.copyOf(scripts);
    return s;
  }

  private static final class Scripted extends FakeEngine {
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private IntToDoubleFunction fixed;
    private Map<Integer, IntToDoubleFunction> byBatch;

    Scripted(String model, ComputeDevice device) {
      super(model, "scripted", device);
    }

    Scripted() {
      super("scripted");
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
      long[] steps = steps(request, listener, s -> submit + 2_000_000L + s * stepNanos);
      return output(request, submit, steps, steps[steps.length - 1]);
    }

    /** No tokenizer: any prompt text is the same three tokens. */
    @Override
    public int[] encode(String text) {
      return new int[] {3, 4, 5};
    }

    @Override
    public boolean hasTokenizer() {
      return false;
    }
  }
}
