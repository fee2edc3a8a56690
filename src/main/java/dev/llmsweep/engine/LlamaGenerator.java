package dev.llmsweep.engine;

import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.model.Decoder;
import dev.llmsweep.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generation for a batch on one loaded model, whatever its backend ({@link Decoder}): left-padded
 * prefill, then one token per step with a preallocated KV cache. The backend's batch holds the
 * cache and frees everything it allocated when the call ends. A token counts as produced when its
 * id is on the host, and that is when the clock is read.
 */
public final class LlamaGenerator implements Generator {
  private final Decoder model;
  private final TextTokenizer tokenizer; // null: ids only
  private final ModelInfo info;

  public LlamaGenerator(Decoder model, TextTokenizer tokenizer, ModelInfo info) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.info = info;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  public Decoder model() {
    return model;
  }

  @Override
  public BatchOutput generate(GenerationRequest request, TokenListener listener) {
    long submit = System.nanoTime();
    if (request.prompts().isEmpty()) {
      throw new IllegalStateException(
          "the built-in engine takes prompts as token ids; encode text prompts first");
    }
    int batch = request.batchSize();
    BatchLayout layout =
        new BatchLayout(request.prompts(), request.maxTokens(), model.config().slidingWindow());
    if (layout.capacity() > info.maxContext()) {
      throw new BadInputException(
          "prompt of "
              + layout.promptWidth()
              + " tokens plus max_tokens "
              + request.maxTokens()
              + " exceeds the model's context of "
              + info.maxContext());
    }
    int vocab = model.config().vocabSize();
    for (int[] prompt : request.prompts()) {
      for (int id : prompt) {
        if (id < 0 || id >= vocab) {
          throw new BadInputException(
              "token id "
                  + id
                  + " is outside the vocabulary of "
                  + info.name()
                  + " (0.."
                  + (vocab - 1)
                  + ")");
        }
      }
    }
    if (!request.stopStrings().isEmpty() && tokenizer == null) {
      throw new IllegalStateException(
          info.name() + " has no tokenizer.json: stop strings need text");
    }
    Progress progress = new Progress(request, model.config().eosTokenIds());
    SplittableRandom[] rngs = new SplittableRandom[batch];
    for (int r = 0; r < batch; r++) {
      rngs[r] = new SplittableRandom(request.sampling().seed() * 1_000_003L + r);
    }
    List<Long> stepNanos = new ArrayList<>();
    try (Decoder.Batch steps = model.start(layout.shape(), request.sampling().toSampling())) {
      long[] chosen =
          steps.prefill(
              layout.paddedIds(request.prompts(), model.config().padTokenId()), uniforms(rngs));
      int cacheIndex = layout.promptWidth();
      for (int s = 0; ; s++) {
        long now = System.nanoTime();
        stepNanos.add(now);
        int[] reported = progress.accept(chosen, now, tokenizer);
        listener.onStep(s, reported, now);
        if (progress.allFinished()) {
          break;
        }
        chosen = steps.decode(chosen, cacheIndex, uniforms(rngs));
        cacheIndex++;
      }
    }
    long end = System.nanoTime();
    long[] steps = stepNanos.stream().mapToLong(Long::longValue).toArray();
    return new BatchOutput(submit, steps, end, progress.outputs(layout, tokenizer, submit));
  }

  /** One uniform per row, drawn every step whether or not the sampler uses it. */
  private static double[] uniforms(SplittableRandom[] rngs) {
    double[] u = new double[rngs.length];
    for (int r = 0; r < u.length; r++) {
      u[r] = rngs[r].nextDouble();
    }
    return u;
  }

  /** Logits of every position for single sequences (no padding), as the golden tests compare. */
  public float[][] promptLogits(int[] prompt) {
    BatchLayout layout = new BatchLayout(List.of(prompt), 1, model.config().slidingWindow());
    try (Decoder.Batch steps = model.start(layout.shape(), SamplingParams.greedy().toSampling())) {
      float[] flat = steps.promptLogits(layout.paddedIds(List.of(prompt), 0));
      int t = prompt.length;
      int vocab = model.config().vocabSize();
      float[][] out = new float[t][vocab];
      for (int p = 0; p < t; p++) {
        System.arraycopy(flat, p * vocab, out[p], 0, vocab);
      }
      return out;
    }
  }

  @Override
  public int[] encode(String text) {
    requireTokenizer();
    return tokenizer.encode(text);
  }

  @Override
  public String decode(int[] ids) {
    requireTokenizer();
    return tokenizer.decode(ids);
  }

  @Override
  public boolean hasTokenizer() {
    return tokenizer != null;
  }

  private void requireTokenizer() {
    if (tokenizer == null) {
      throw new IllegalStateException(
          info.name() + " has no tokenizer.json: give token ids instead of text");
    }
  }

  @Override
  public void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
    model.close();
  }
}
