package dev.llmsweep.model.cpu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.llmsweep.model.Decoder;
import dev.llmsweep.model.FusedWeights;
import dev.llmsweep.model.LlamaConfig;
import dev.llmsweep.model.Rope;
import java.util.ArrayList;
import java.util.List;

/**
 * A Llama/Mistral decoder on the CPU kernels (CPU, float32): projections on {@link HostMatmul},
 * attention on {@link HostAttention} over a cache in Java arrays, norms, activations, rotary
 * embeddings and sampling ({@link HostSampler}) in Java as well; PyTorch only looks up embeddings.
 * Holds its embedding in one NDManager that {@link #close()} frees.
 */
public final class LlamaModel implements Decoder {
  private final LlamaConfig config;
  private final NDManager manager;
  private final NDArray embedding; // [vocab, hidden]
  private final List<DecoderLayer> layers;
  private final float eps;
  private final Projection lmHead; // [vocab, hidden], final norm gain folded in
  private final Rope rope;
  private final long weightBytes;

  private LlamaModel(
      LlamaConfig config,
      NDManager manager,
      NDArray embedding,
      List<DecoderLayer> layers,
      Projection lmHead,
      long weightBytes) {
    this.config = config;
    this.manager = manager;
    this.embedding = embedding;
    this.layers = layers;
    this.eps = (float) config.rmsNormEps();
    this.lmHead = lmHead;
    this.weightBytes = weightBytes;
    this.rope = new Rope(config);
  }

  /**
   * Packs float32 CPU weights for the kernels; the PyTorch copies of the projections are released.
   */
  public static LlamaModel of(FusedWeights w) {
    HostSampler.warmUp();
    LlamaConfig c = w.config();
    List<DecoderLayer> layers = new ArrayList<>();
    for (int i = 0; i < w.layers().size(); i++) {
      FusedWeights.Layer l = w.layers().get(i);
      layers.add(
          new DecoderLayer(
              i,
              c.rmsNormEps(),
              new Attention(c, new Projection(l.qkv()), new Projection(l.o())),
              new FeedForward(c, new Projection(l.gateUp()), new Projection(l.down()))));
    }
    return new LlamaModel(
        c, w.manager(), w.embedding(), layers, new Projection(w.lmHead()), w.weightBytes());
  }

  /**
   * Whether the CPU kernels serve this device and dtype: CPU float32, with the Vector API present.
   */
  public static boolean serves(ai.djl.Device device, DataType dtype) {
    return !device.isGpu() && dtype == DataType.FLOAT32 && Projection.hostKernelAvailable();
  }

  @Override
  public LlamaConfig config() {
    return config;
  }

  @Override
  public ai.djl.Device device() {
    return manager.getDevice();
  }

  @Override
  public int liveArrays() {
    return manager.getManagedArrays().size();
  }

  @Override
  public DataType dtype() {
    return DataType.FLOAT32;
  }

  @Override
  public long weightBytes() {
    return weightBytes;
  }

  @Override
  public String backend() {
    return "cpu-kernels";
  }

  @Override
  public Batch start(BatchShape shape, Sampling sampling) {
    return new HostBatch(shape, sampling);
  }

  /**
   * One forward step from ids to logits in Java arrays.
   *
   * @param ids [batch, tokens]
   * @return logits [batch, vocab] of each row's last position, or [batch, tokens, vocab]
   */
  private float[] logits(long[] ids, StepContext step, KvCache cache, boolean lastOnly) {
    int hidden = config.hiddenSize();
    int batch = (int) step.batch();
    int tokens = (int) step.tokens();
    float[] x; // [b * t, hidden]
    try (NDManager scratch = manager.newSubManager()) {
      NDArray tokenIds = scratch.create(ids, new Shape(batch, tokens));
      x = JniUtils.embedding((PtNDArray) tokenIds, (PtNDArray) embedding, false).toFloatArray();
    }
    for (DecoderLayer layer : layers) {
      x = layer.forward(x, hidden, step, cache);
    }
    if (lastOnly && tokens > 1) {
      float[] last = new float[batch * hidden];
      for (int r = 0; r < batch; r++) {
        System.arraycopy(x, ((r + 1) * tokens - 1) * hidden, last, r * hidden, hidden);
      }
      x = last;
      tokens = 1;
    }
    return lmHead.multiply(HostOps.rmsNorm(x, hidden, eps), batch * tokens);
  }

  @Override
  public void close() {
    manager.close();
  }

  /**
   * A batch on the CPU kernels: its cache in Java arrays, PyTorch's own threads set to one
   * meanwhile.
   */
  private final class HostBatch implements Batch {
    private final BatchShape shape;
    private final Sampling sampling;
    private final KvCache cache;
    private final HostSampler.Scratch sampler; // reused by every step: sampling allocates nothing
    private final int torchThreads;

    HostBatch(BatchShape shape, Sampling sampling) {
      this.shape = shape;
      this.sampling = sampling;
      this.cache = new KvCache(config, shape.batch(), shape.capacity());
      this.sampler = new HostSampler.Scratch(config.vocabSize());
      // PyTorch only looks up embeddings here; its thread pool would compete with the kernels'
      // threads for the cores (measured: 11% slower decode steps)
      this.torchThreads = JniUtils.getNumThreads();
      JniUtils.setNumThreads(1);
    }

    @Override
    public long[] prefill(long[] paddedIds, double[] uniforms) {
      float[] logits = logits(paddedIds, prefillStep(), cache, true);
      return HostSampler.sample(logits, config.vocabSize(), sampling, uniforms, sampler);
    }

    @Override
    public long[] decode(long[] previous, int cacheIndex, double[] uniforms) {
      long[] positions = new long[shape.batch()];
      for (int r = 0; r < positions.length; r++) {
        positions[r] = cacheIndex - shape.pads()[r];
      }
      StepContext step =
          new StepContext(
              shape.batch(), 1, cacheIndex, rope, positions, shape.pads(), shape.slidingWindow());
      float[] logits = logits(previous, step, cache, true);
      return HostSampler.sample(logits, config.vocabSize(), sampling, uniforms, sampler);
    }

    @Override
    public float[] promptLogits(long[] paddedIds) {
      return logits(paddedIds, prefillStep(), cache, false);
    }

    /** Prefill positions as transformers computes them: padding gets 1. */
    private StepContext prefillStep() {
      int t = shape.width();
      long[] positions = new long[shape.batch() * t];
      for (int r = 0; r < shape.batch(); r++) {
        int pad = shape.pads()[r];
        for (int j = 0; j < t; j++) {
          positions[r * t + j] = j < pad ? 1 : j - pad;
        }
      }
      return new StepContext(
          shape.batch(), t, 0, rope, positions, shape.pads(), shape.slidingWindow());
    }

    @Override
    public void close() {
      JniUtils.setNumThreads(torchThreads);
    }
  }
}
