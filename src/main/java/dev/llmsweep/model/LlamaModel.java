package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * A Llama/Mistral decoder: embedding, decoder layers, final norm, LM head. Holds its weights in
 * one NDManager that {@link #close()} frees.
 */
public final class LlamaModel implements AutoCloseable {
  private final LlamaConfig config;
  private final NDManager manager;
  private final DataType dtype;
  private final NDArray embedding; // [vocab, hidden]
  private final List<DecoderLayer> layers;
  private final RmsNorm finalNorm;
  private final Projection lmHead; // [vocab, hidden]
  private final Rope rope;
  private final long weightBytes;

  LlamaModel(LlamaConfig config, NDManager manager, DataType dtype, NDArray embedding,
      List<DecoderLayer> layers, RmsNorm finalNorm, Projection lmHead, long weightBytes) {
    this.config = config;
    this.manager = manager;
    this.dtype = dtype;
    this.embedding = embedding;
    this.layers = layers;
    this.finalNorm = finalNorm;
    this.lmHead = lmHead;
    this.weightBytes = weightBytes;
    this.rope = new Rope(manager, config, dtype, lmHead.usesHostKernel());
  }

  public LlamaConfig config() {
    return config;
  }

  public NDManager manager() {
    return manager;
  }

  public DataType dtype() {
    return dtype;
  }

  public Rope rope() {
    return rope;
  }

  public long weightBytes() {
    return weightBytes;
  }

  /**
   * One forward step.
   *
   * @param tokens [batch, tokens] int64 ids
   * @param step positions, rope and mask of this step
   * @param cache written at {@code step.start()}
   * @param lastOnly return logits of the last position only
   * @return logits [batch, tokens or 1, vocab] in float32
   */
  public NDArray forward(NDArray tokens, StepContext step, KvCache cache, boolean lastOnly) {
    NDArray x = embed(tokens); // [b, t, hidden]
    if (cache.onHost()) {
      return forwardOnHost(x, step, cache, lastOnly);
    }
    for (DecoderLayer layer : layers) {
      x = layer.forward(x, step, cache);
    }
    if (lastOnly && step.tokens() > 1) {
      x = JniUtils.slice((PtNDArray) x, 1, step.tokens() - 1, step.tokens(), 1); // [b, 1, hidden]
    }
    NDArray logits = lmHead.forward(finalNorm.forward(x)); // [b, t, vocab]
    return logits.toType(DataType.FLOAT32, false);
  }

  /** {@link #forward} on the CPU kernels: from the embedding to the logits in Java arrays. */
  private NDArray forwardOnHost(NDArray embedded, StepContext step, KvCache cache, boolean lastOnly) {
    int tokens = lastOnly ? 1 : (int) step.tokens();
    float[] logits = logitsOnHost(embedded, step, cache, lastOnly);
    return embedded.getManager().create(logits, new Shape(step.batch(), tokens, config.vocabSize()));
  }

  /**
   * The CPU kernels' forward step returning the logits as a Java array, for a caller that chooses
   * tokens on the host ({@code HostSampler}) and so skips copying them into an NDArray.
   *
   * @return logits [batch, vocab] of each row's last position
   */
  public float[] lastLogitsOnHost(NDArray tokens, StepContext step, KvCache cache) {
    return logitsOnHost(embed(tokens), step, cache, true);
  }

  private NDArray embed(NDArray tokens) {
    return JniUtils.embedding((PtNDArray) tokens, (PtNDArray) embedding, false);
  }

  private float[] logitsOnHost(NDArray embedded, StepContext step, KvCache cache, boolean lastOnly) {
    int hidden = config.hiddenSize();
    int batch = (int) step.batch();
    int tokens = (int) step.tokens();
    float[] x = embedded.toFloatArray(); // [b * t, hidden]
    for (DecoderLayer layer : layers) {
      x = layer.forwardOnHost(x, hidden, step, cache);
    }
    if (lastOnly && tokens > 1) {
      float[] last = new float[batch * hidden];
      for (int r = 0; r < batch; r++) {
        System.arraycopy(x, ((r + 1) * tokens - 1) * hidden, last, r * hidden, hidden);
      }
      x = last;
      tokens = 1;
    }
    return lmHead.multiply(finalNorm.forwardOnHost(x, hidden), batch * tokens); // [b, t, vocab]
  }

  /**
   * Whether the model runs on the CPU kernels (CPU, float32): projections on {@link HostMatmul},
   * attention on {@link HostAttention} over a cache in Java arrays, norms, activations and rotary
   * embeddings in Java as well; PyTorch keeps the embedding lookup.
   */
  public boolean usesHostKernel() {
    return lmHead.usesHostKernel();
  }

  /** A new cache for {@code batch} rows of up to {@code capacity} positions. */
  public KvCache newCache(int batch, int capacity) {
    return new KvCache(manager, config, batch, capacity, dtype, usesHostKernel());
  }

  @Override
  public void close() {
    manager.close();
  }
}
