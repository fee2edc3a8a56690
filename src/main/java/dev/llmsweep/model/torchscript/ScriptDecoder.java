package dev.llmsweep.model.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import dev.llmsweep.model.Decoder;
import dev.llmsweep.model.FusedWeights;
import dev.llmsweep.model.LlamaConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A Llama/Mistral decoder on PyTorch, any device and dtype: a whole step (embedding, every layer,
 * final norm, LM head and the choice of next tokens) is one native call into a TorchScript module
 * written by this project ({@code llama_step.py} beside this class), so the host's cost per step is
 * a handful of JNI calls whatever the model's depth. Only the chosen ids come back to the host. The
 * weights, rotary tables and per-batch constants are passed as IValues made once; the KV cache is a
 * list of tensors per batch, written in place by the module.
 *
 * <p>The graph executor optimises a method after its first calls at a given shape (fusing
 * elementwise ops); {@code -Dllmsweep.torchscript.optimize=false} switches that off. {@code
 * -Dllmsweep.torchscript.source=FILE} compiles FILE instead of the bundled step (a variant with the
 * same methods and arguments), to measure a change on a GPU machine without a rebuild.
 */
public final class ScriptDecoder implements Decoder {
  /** The bundled step, beside this class. */
  static final String SOURCE = "llama_step.py";

  private final LlamaConfig config;
  private final NDManager manager;
  private final DataType dtype;
  private final long weightBytes;
  private final PtSymbolBlock module;
  private final IValue
      weights; // List[Tensor]: embedding, lm head, cos, sin, per layer qkv, o, gate_up, down
  private final boolean optimize;
  private final float masked;

  private ScriptDecoder(FusedWeights w, PtSymbolBlock module, IValue weights) {
    this.config = w.config();
    this.manager = w.manager();
    this.dtype = w.dtype();
    this.weightBytes = w.weightBytes();
    this.module = module;
    this.weights = weights;
    this.optimize = !"false".equals(System.getProperty("llmsweep.torchscript.optimize"));
    // two masked components may add up: each stays below half the dtype's range
    this.masked = dtype == DataType.FLOAT16 ? -30000f : -1e30f;
  }

  /**
   * Takes over {@code w}'s manager (closed with this decoder) and loads the module onto its device.
   */
  public static ScriptDecoder of(FusedWeights w) {
    IValue weights = ScriptLoader.weights(w);
    PtSymbolBlock module = ScriptLoader.load((PtNDManager) w.manager(), "LlamaStep", SOURCE);
    return new ScriptDecoder(w, module, weights);
  }

  /**
   * The module's sampler on its own, on the CPU: {@code logits} [rows, vocab]; each row's id. The
   * same code chooses every token on every device (for tests of the sampling contract).
   */
  public static long[] sample(float[] logits, int vocab, Sampling sampling, double[] uniforms) {
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      PtSymbolBlock module = ScriptLoader.load((PtNDManager) m, "LlamaStep", SOURCE);
      NDArray rows = m.create(logits, new Shape(logits.length / vocab, vocab));
      try (IValue l = IValue.from((PtNDArray) rows);
          IValue t = IValue.from(sampling.temperature());
          IValue k = IValue.from((long) sampling.topK());
          IValue p = IValue.from(sampling.topP());
          IValue u = IValue.listFrom(uniforms);
          IValue out = IValueUtils.runMethod(module, "sample", l, t, k, p, u)) {
        return out.toTensor((PtNDManager) m).toLongArray();
      }
    }
  }

  @Override
  public LlamaConfig config() {
    return config;
  }

  @Override
  public DataType dtype() {
    return dtype;
  }

  @Override
  public long weightBytes() {
    return weightBytes;
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
  public String backend() {
    return "torchscript";
  }

  @Override
  public Batch start(BatchShape shape, Sampling sampling) {
    return new ScriptBatch(shape, sampling);
  }

  /**
   * Seconds per copy of {@code bytes} between two device buffers, median-free: {@code times}
   * back-to-back copies in one call, timed until the device has finished them.
   */
  public double copySeconds(long bytes, int times) {
    try (NDManager m = manager.newSubManager()) {
      NDArray source = m.ones(new Shape(bytes / 2), DataType.FLOAT16);
      NDArray target = m.zeros(new Shape(bytes / 2), DataType.FLOAT16);
      IValue src = IValue.from((PtNDArray) source);
      IValue dst = IValue.from((PtNDArray) target);
      IValue one = IValue.from(1L);
      IValue n = IValue.from((long) times);
      JniUtils.setGraphExecutorOptimize(false);
      try {
        IValueUtils.runMethod(module, "copies", src, dst, one).close(); // first touch
        try (IValue done = IValueUtils.runMethod(module, "copies", src, dst, one);
            NDArray sync = done.toTensor((PtNDManager) m)) {
          sync.toFloatArray();
        }
        long start = System.nanoTime();
        try (IValue done = IValueUtils.runMethod(module, "copies", src, dst, n);
            NDArray sync = done.toTensor((PtNDManager) m)) {
          sync.toFloatArray();
        }
        return (System.nanoTime() - start) / 1e9 / times;
      } finally {
        JniUtils.setGraphExecutorOptimize(optimize);
        src.close();
        dst.close();
        one.close();
        n.close();
      }
    }
  }

  @Override
  public void close() {
    weights.close();
    manager.close(); // the module too: it is attached to the manager
  }

  /**
   * One batch: its caches, the per-row left padding and the constant arguments as IValues made
   * once; per step only the tokens, the cache index and the uniforms are new.
   */
  private final class ScriptBatch implements Batch {
    private final BatchShape shape;
    private final Sampling sampling;
    private final NDManager call;
    private final IValue padIds; // [batch] int64
    private final IValue padded;
    private final IValue keys;
    private final IValue values;
    private final IValue heads;
    private final IValue kvHeads;
    private final IValue window;
    private final IValue eps;
    private final IValue maskValue;
    private final IValue temperature;
    private final IValue topK;
    private final IValue topP;
    private final List<IValue> made =
        new ArrayList<>(); // every IValue above, closed with the batch
    private IValue lastIds; // the previous step's ids [batch], on the device

    ScriptBatch(BatchShape shape, Sampling sampling) {
      this.shape = shape;
      this.sampling = sampling;
      JniUtils.setGraphExecutorOptimize(optimize); // per thread in libtorch
      this.call = manager.newSubManager();
      try {
        long[] pads = new long[shape.batch()];
        boolean any = false;
        for (int r = 0; r < pads.length; r++) {
          pads[r] = shape.pads()[r];
          any |= pads[r] > 0;
        }
        padIds = track(IValue.from((PtNDArray) onDevice(pads, new Shape(shape.batch()))));
        padded = track(IValue.from(any));
        try (IValue layers = IValue.from((long) config.layers());
            IValue batch = IValue.from((long) shape.batch());
            IValue kv = IValue.from((long) config.kvHeads());
            IValue capacity = IValue.from((long) shape.capacity());
            IValue headDim = IValue.from((long) config.headDim());
            IValue like = IValue.from((PtNDArray) call.zeros(new Shape(1), dtype))) {
          keys =
              track(
                  IValueUtils.runMethod(
                      module, "new_cache", layers, batch, kv, capacity, headDim, like));
          values =
              track(
                  IValueUtils.runMethod(
                      module, "new_cache", layers, batch, kv, capacity, headDim, like));
        }
        heads = track(IValue.from((long) config.heads()));
        kvHeads = track(IValue.from((long) config.kvHeads()));
        window = track(IValue.from((long) shape.slidingWindow()));
        eps = track(IValue.from(config.rmsNormEps()));
        maskValue = track(IValue.from((double) masked));
        temperature = track(IValue.from(sampling.temperature()));
        topK = track(IValue.from((long) sampling.topK()));
        topP = track(IValue.from(sampling.topP()));
      } catch (RuntimeException | Error e) {
        made.forEach(IValue::close);
        call.close();
        throw e;
      }
    }

    private IValue track(IValue v) {
      made.add(v);
      return v;
    }

    private NDArray onDevice(long[] values, Shape shape) {
      NDArray host = call.create(values, shape);
      if (call.getDevice().equals(host.getDevice())) {
        return host;
      }
      NDArray moved = host.toDevice(call.getDevice(), false);
      host.close();
      return moved;
    }

    /**
     * The arguments of the module's {@code next}, in its order (llama_step.py): the tokens at cache
     * index {@code start}, the batch's padding, weights, caches and constants, then the sampling.
     */
    private IValue[] nextArgs(IValue tokens, IValue start, IValue uniforms) {
      return new IValue[] {
        tokens,
        start,
        padIds,
        padded,
        weights,
        keys,
        values,
        heads,
        kvHeads,
        window,
        eps,
        maskValue,
        temperature,
        topK,
        topP,
        uniforms
      };
    }

    /**
     * The arguments of the module's {@code logits}: those of {@code next} up to the mask value,
     * then whether only the last position's logits are wanted.
     */
    private IValue[] logitsArgs(IValue tokens, IValue start, IValue lastOnly) {
      return new IValue[] {
        tokens, start, padIds, padded, weights, keys, values, heads, kvHeads, window, eps,
        maskValue, lastOnly
      };
    }

    private long[] next(IValue tokens, int start, double[] uniforms) {
      try (IValue at = IValue.from((long) start);
          IValue u = IValue.listFrom(uniforms)) {
        IValue ids = IValueUtils.runMethod(module, "next", nextArgs(tokens, at, u));
        if (lastIds != null) {
          lastIds.close();
        }
        lastIds = ids;
        try (NDArray chosen = ids.toTensor((PtNDManager) call)) {
          return chosen.toLongArray();
        }
      }
    }

    @Override
    public long[] prefill(long[] paddedIds, double[] uniforms) {
      try (NDArray ids = onDevice(paddedIds, new Shape(shape.batch(), shape.width()));
          IValue tokens = IValue.from((PtNDArray) ids)) {
        return next(tokens, 0, uniforms);
      }
    }

    @Override
    public long[] decode(long[] previous, int cacheIndex, double[] uniforms) {
      return next(lastIds, cacheIndex, uniforms); // the same ids, still on the device
    }

    @Override
    public float[] promptLogits(long[] paddedIds) {
      try (NDArray ids = onDevice(paddedIds, new Shape(shape.batch(), shape.width()));
          IValue tokens = IValue.from((PtNDArray) ids);
          IValue start = IValue.from(0L);
          IValue lastOnly = IValue.from(false)) {
        try (IValue out =
                IValueUtils.runMethod(module, "logits", logitsArgs(tokens, start, lastOnly));
            NDArray logits = out.toTensor((PtNDManager) call)) {
          return logits.toFloatArray();
        }
      }
    }

    @Override
    public void close() {
      if (lastIds != null) {
        lastIds.close();
      }
      made.forEach(IValue::close);
      call.close();
    }
  }
}
