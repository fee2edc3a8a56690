package dev.llmsweep.spark;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.FinishReason;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.ModelInfo;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.TokenListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * What the tests' fake engines share: they compute nothing, only make up each step's timestamp
 * (their own way: {@link #steps}), emit token {@code 3 + step % 200} for every request of the batch
 * at every step, and end every request at max_tokens. A byte tokenizer, no text.
 */
abstract class FakeEngine implements Generator {
  private final ModelInfo info;

  /** A fake of {@code model} on {@code device}; {@code architecture} names the fake. */
  FakeEngine(String model, String architecture, ComputeDevice device) {
    this(new ModelInfo(model, architecture, 0, 0, 4096, 259, device.name(), device.dtype()));
  }

  /** A fake of no particular device (float32 on the CPU). */
  FakeEngine(String architecture) {
    this(new ModelInfo(architecture, architecture, 0, 0, 4096, 259, "cpu", "float32"));
  }

  private FakeEngine(ModelInfo info) {
    this.info = info;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /**
   * Tells the listener of each of the call's max_tokens steps, in order, at the time {@code stepAt}
   * gives for it (called once per step, in order: it may sleep or keep a running time).
   */
  static long[] steps(GenerationRequest request, TokenListener listener, IntToLongFunction stepAt) {
    long[] steps = new long[request.maxTokens()];
    for (int s = 0; s < steps.length; s++) {
      steps[s] = stepAt.applyAsLong(s);
      int[] ids = new int[request.batchSize()];
      Arrays.fill(ids, token(s));
      listener.onStep(s, ids, steps[s]);
    }
    return steps;
  }

  /** The call's output: every request got a token at every step and ended at max_tokens. */
  static BatchOutput output(GenerationRequest request, long submit, long[] steps, long end) {
    List<RequestOutput> out = new ArrayList<>();
    for (int r = 0; r < request.batchSize(); r++) {
      int[] ids = new int[steps.length];
      for (int s = 0; s < ids.length; s++) {
        ids[s] = token(s);
      }
      out.add(
          new RequestOutput(
              request.prompts().get(r).length,
              ids,
              steps.clone(),
              null,
              FinishReason.LENGTH,
              submit));
    }
    return new BatchOutput(submit, steps, end, out);
  }

  private static int token(int step) {
    return 3 + step % 200;
  }

  @Override
  public int[] encode(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      ids[i] = 3 + (b[i] & 0xff);
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    return "";
  }

  @Override
  public boolean hasTokenizer() {
    return true;
  }

  @Override
  public void close() {}
}
