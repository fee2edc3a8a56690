package dev.llmsweep.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.model.KvCache;
import dev.llmsweep.model.LlamaModel;
import dev.llmsweep.model.StepContext;
import dev.llmsweep.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generation for a batch on one loaded model: left-padded prefill, then one token per step with a
 * preallocated KV cache. Each step's temporaries live in an {@link NDScope}; the cache and the
 * chosen ids live in a per-call manager; nothing outlives the call. A token counts as produced
 * when its id is on the host, and that is when the clock is read.
 */
public final class LlamaGenerator implements Generator {
  private final LlamaModel model;
  private final TextTokenizer tokenizer; // null: ids only
  private final ModelInfo info;

  public LlamaGenerator(LlamaModel model, TextTokenizer tokenizer, ModelInfo info) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.info = info;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  public LlamaModel model() {
    return model;
  }

  @Override
  public BatchOutput generate(GenerationRequest request, TokenListener listener) {
    long submit = System.nanoTime();
    int batch = request.batchSize();
    DataType dtype = model.dtype();
    BatchLayout layout = new BatchLayout(request.prompts(), request.maxTokens(), model.config().slidingWindow(), dtype);
    if (layout.capacity() > info.maxContext()) {
      throw new BadInputException("prompt of " + layout.promptWidth() + " tokens plus max_tokens "
          + request.maxTokens() + " exceeds the model's context of " + info.maxContext());
    }
    int vocab = model.config().vocabSize();
    for (int[] prompt : request.prompts()) {
      for (int id : prompt) {
        if (id < 0 || id >= vocab) {
          throw new BadInputException("token id " + id + " is outside the vocabulary of " + info.name()
              + " (0.." + (vocab - 1) + ")");
        }
      }
    }
    if (!request.stopStrings().isEmpty() && tokenizer == null) {
      throw new IllegalStateException(info.name() + " has no tokenizer.json: stop strings need text");
    }
    Progress progress = new Progress(request, model.config().eosTokenIds());
    SplittableRandom[] rngs = new SplittableRandom[batch];
    for (int r = 0; r < batch; r++) {
      rngs[r] = new SplittableRandom(request.sampling().seed() * 1_000_003L + r);
    }
    Sampler sampler = new Sampler(request.sampling());
    List<Long> stepNanos = new ArrayList<>();
    // on the CPU kernels PyTorch only looks up embeddings; its thread pool would compete with the
    // kernels' threads for the cores (measured: 11% slower decode steps)
    int torchThreads = JniUtils.getNumThreads();
    boolean hostKernel = model.usesHostKernel();
    if (hostKernel) {
      JniUtils.setNumThreads(1);
    }
    try (NDManager call = model.manager().newSubManager();
        KvCache cache = model.newCache(batch, layout.capacity())) {
      // the additive masks serve PyTorch's attention; the CPU kernels skip masked keys instead
      NDArray padding = cache.onHost() ? null : layout.paddingMask(call, dtype); // [b, 1, 1, capacity]
      NDArray next;
      try (NDScope scope = new NDScope()) {
        int t = layout.promptWidth();
        NDArray ids = call.create(layout.paddedIds(request.prompts(), model.config().padTokenId()), new Shape(batch, t));
        next = next(sampler, ids, prefillStep(call, layout, padding), cache, rngs);
        NDScope.unregister(next);
      }
      int cacheIndex = layout.promptWidth();
      for (int s = 0; ; s++) {
        long[] chosen = next.toLongArray();
        long now = System.nanoTime();
        stepNanos.add(now);
        int[] reported = progress.accept(chosen, now, tokenizer);
        listener.onStep(s, reported, now);
        if (progress.allFinished()) {
          next.close();
          break;
        }
        NDArray previous = next;
        try (NDScope scope = new NDScope()) {
          NDArray ids = previous.reshape(new Shape(batch, 1));
          next = next(sampler, ids, decodeStep(call, layout, padding, cacheIndex), cache, rngs);
          NDScope.unregister(next);
        }
        previous.close();
        cacheIndex++;
      }
    } finally {
      if (hostKernel) {
        JniUtils.setNumThreads(torchThreads);
      }
    }
    long end = System.nanoTime();
    long[] steps = stepNanos.stream().mapToLong(Long::longValue).toArray();
    return new BatchOutput(submit, steps, end, progress.outputs(layout, tokenizer));
  }

  /** The prefill step over the whole padded prompt; {@code padding} null when the cache is on the host. */
  private StepContext prefillStep(NDManager call, BatchLayout layout, NDArray padding) {
    int batch = layout.batch();
    int t = layout.promptWidth();
    long[] positions = layout.prefillPositions();
    if (padding == null) {
      return new StepContext(batch, t, 0, model.rope(), null, null, positions, layout.firstKeys(), layout.slidingWindow());
    }
    NDArray mask = slice(padding, t).add(layout.causalMask(call, model.dtype())).expandDims(1); // [b, 1, 1, t, t]
    NDList cosSin = model.rope().forPositions(call.create(positions, new Shape(batch, t)));
    return new StepContext(batch, t, 0, model.rope(), cosSin, mask, positions, layout.firstKeys(), layout.slidingWindow());
  }

  /** The decode step feeding the tokens at cache index {@code cacheIndex}. */
  private StepContext decodeStep(NDManager call, BatchLayout layout, NDArray padding, int cacheIndex) {
    int batch = layout.batch();
    long[] positions = layout.decodePositions(cacheIndex);
    if (padding == null) {
      return new StepContext(batch, 1, cacheIndex, model.rope(), null, null, positions, layout.firstKeys(),
          layout.slidingWindow());
    }
    NDArray mask = slice(padding, cacheIndex + 1); // [b, 1, 1, L]
    NDArray window = layout.windowRow(call, model.dtype(), cacheIndex);
    if (window != null) {
      mask = mask.add(window);
    }
    NDList cosSin = model.rope().forPositions(call.create(positions, new Shape(batch, 1)));
    return new StepContext(batch, 1, cacheIndex, model.rope(), cosSin, mask, positions, layout.firstKeys(),
        layout.slidingWindow());
  }

  private static NDArray slice(NDArray padding, int length) {
    return ai.djl.pytorch.jni.JniUtils.slice((ai.djl.pytorch.engine.PtNDArray) padding, 3, 0, length, 1);
  }

  /**
   * Runs one step and chooses each row's next token: ids [batch] int64. On the CPU kernels the
   * logits stay in a Java array and {@link HostSampler} chooses (at batch 32 that saves copying 4
   * MB of logits into PyTorch every step, and for sampling PyTorch's full-vocabulary sorts).
   */
  private NDArray next(Sampler sampler, NDArray ids, StepContext step, KvCache cache, SplittableRandom[] rngs) {
    if (cache.onHost()) {
      float[] logits = model.lastLogitsOnHost(ids, step, cache);
      long[] chosen = HostSampler.sample(logits, model.config().vocabSize(), sampler.params(), uniforms(rngs));
      return ids.getManager().create(chosen, new Shape(rngs.length));
    }
    return choose(sampler, model.forward(ids, step, cache, true), rngs);
  }

  /** One uniform per row, drawn every step whether or not the sampler uses it. */
  private static double[] uniforms(SplittableRandom[] rngs) {
    double[] u = new double[rngs.length];
    for (int r = 0; r < u.length; r++) {
      u[r] = rngs[r].nextDouble();
    }
    return u;
  }

  private static NDArray choose(Sampler sampler, NDArray logits, SplittableRandom[] rngs) {
    double[] u = uniforms(rngs);
    NDArray last = logits.reshape(new Shape(rngs.length, logits.getShape().get(2))); // [b, vocab]
    return sampler.sample(last, u);
  }

  /** Logits of every position for single sequences (no padding), as the golden tests compare. */
  public float[][] promptLogits(int[] prompt) {
    try (NDManager call = model.manager().newSubManager();
        KvCache cache = model.newCache(1, prompt.length);
        NDScope scope = new NDScope()) {
      BatchLayout layout = new BatchLayout(List.of(prompt), 0 + 1, model.config().slidingWindow(), model.dtype());
      int t = prompt.length;
      NDArray ids = call.create(layout.paddedIds(List.of(prompt), 0), new Shape(1, t));
      NDArray padding = cache.onHost() ? null : layout.paddingMask(call, model.dtype());
      NDArray logits = model.forward(ids, prefillStep(call, layout, padding), cache, false);
      float[] flat = logits.toFloatArray();
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
      throw new IllegalStateException(info.name() + " has no tokenizer.json: give token ids instead of text");
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
