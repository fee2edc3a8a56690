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
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.model.Decoder;
import dev.llmsweep.model.FusedWeights;
import dev.llmsweep.model.LlamaConfig;
import dev.llmsweep.model.Rope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private static final String SOURCE = "llama_step.py";

  /**
   * Names a file to compile instead of the bundled step, to try a variant of it without a rebuild.
   */
  static final String SOURCE_PROPERTY = "llmsweep.torchscript.source";

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
    NDManager m = w.manager();
    float[][] tables = Rope.tables(w.config());
    Shape tableShape = new Shape(w.config().maxPositions(), w.config().headDim());
    List<PtNDArray> list = new ArrayList<>();
    list.add((PtNDArray) w.embedding());
    list.add((PtNDArray) w.lmHead());
    for (float[] table : tables) {
      list.add((PtNDArray) ownedTable(m, table, tableShape, w.dtype()));
    }
    for (FusedWeights.Layer l : w.layers()) {
      list.add((PtNDArray) l.qkv());
      list.add((PtNDArray) l.o());
      list.add((PtNDArray) l.gateUp());
      list.add((PtNDArray) l.down());
    }
    PtSymbolBlock module = load((PtNDManager) m, "LlamaStep", SOURCE);
    IValue weights = IValue.listFrom(list.toArray(new PtNDArray[0]));
    return new ScriptDecoder(w, module, weights);
  }

  /**
   * {@code values} as a tensor of {@code shape} on {@code m}'s device, in memory libtorch allocated
   * and owns. DJL makes a CPU tensor from a Java array as a view of a direct buffer that only that
   * NDArray keeps alive, and its {@code toDevice}/{@code toType} return another view of the same
   * memory when neither device nor dtype changes (the CPU at float32, whatever the copy flag says).
   * Kept in an IValue once the NDArray was gone, the tables were read from a buffer the garbage
   * collector had freed and malloc had handed out again: NaN logits, token 0 for whole rows.
   */
  private static NDArray ownedTable(NDManager m, float[] values, Shape shape, DataType dtype) {
    try (NDManager host = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      NDArray owned =
          host.create(values, shape)
              .toDevice(m.getDevice(), false)
              .toType(dtype, false)
              .duplicate();
      owned.attach(m);
      return owned;
    }
  }

  /** Compiles the TorchScript class {@code className} from the resource {@code resource}. */
  static PtSymbolBlock load(PtNDManager manager, String className, String resource) {
    String file = System.getProperty(SOURCE_PROPERTY);
    if (file != null && resource.equals(SOURCE) && !Files.isRegularFile(Path.of(file))) {
      throw new BadInputException(
          "-D"
              + SOURCE_PROPERTY
              + "="
              + file
              + ": no such file; give a variant of "
              + SOURCE
              + " (the same methods and arguments) or leave the property unset");
    }
    try (InputStream in =
        file != null && resource.equals(SOURCE)
            ? Files.newInputStream(Path.of(file))
            : ScriptDecoder.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      byte[] archive = ScriptArchive.of(className, source);
      return JniUtils.loadModule(manager, new ByteArrayInputStream(archive), false, false);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot load the TorchScript module " + resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * The module's sampler on its own, on the CPU: {@code logits} [rows, vocab]; each row's id. The
   * same code chooses every token on every device (for tests of the sampling contract).
   */
  public static long[] sample(float[] logits, int vocab, Sampling sampling, double[] uniforms) {
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      PtSymbolBlock module = load((PtNDManager) m, "LlamaStep", SOURCE);
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
    private final IValue[] constants; // heads, kvHeads, window, eps, masked
    private final IValue[] samplingArgs; // temperature, topK, topP
    private IValue lastIds; // the previous step's ids [batch], on the device

    ScriptBatch(BatchShape shape, Sampling sampling) {
      this.shape = shape;
      this.sampling = sampling;
      JniUtils.setGraphExecutorOptimize(optimize); // per thread in libtorch
      this.call = manager.newSubManager();
      List<IValue> made = new ArrayList<>();
      try {
        long[] pads = new long[shape.batch()];
        boolean any = false;
        for (int r = 0; r < pads.length; r++) {
          pads[r] = shape.pads()[r];
          any |= pads[r] > 0;
        }
        padIds = track(made, IValue.from((PtNDArray) onDevice(pads, new Shape(shape.batch()))));
        padded = track(made, IValue.from(any));
        try (IValue layers = IValue.from((long) config.layers());
            IValue batch = IValue.from((long) shape.batch());
            IValue kv = IValue.from((long) config.kvHeads());
            IValue capacity = IValue.from((long) shape.capacity());
            IValue headDim = IValue.from((long) config.headDim());
            IValue like = IValue.from((PtNDArray) call.zeros(new Shape(1), dtype))) {
          keys =
              track(
                  made,
                  IValueUtils.runMethod(
                      module, "new_cache", layers, batch, kv, capacity, headDim, like));
          values =
              track(
                  made,
                  IValueUtils.runMethod(
                      module, "new_cache", layers, batch, kv, capacity, headDim, like));
        }
        constants =
            new IValue[] {
              track(made, IValue.from((long) config.heads())),
                  track(made, IValue.from((long) config.kvHeads())),
              track(made, IValue.from((long) shape.slidingWindow())),
                  track(made, IValue.from(config.rmsNormEps())),
              track(made, IValue.from((double) masked))
            };
        samplingArgs =
            new IValue[] {
              track(made, IValue.from(sampling.temperature())),
              track(made, IValue.from((long) sampling.topK())),
              track(made, IValue.from(sampling.topP()))
            };
      } catch (RuntimeException | Error e) {
        made.forEach(IValue::close);
        call.close();
        throw e;
      }
    }

    private IValue track(List<IValue> made, IValue v) {
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
     * Arguments of {@code logits}/{@code next} up to the mask value, for tokens at {@code start}.
     */
    private IValue[] stepArgs(IValue tokens, IValue start, int extra) {
      IValue[] a = new IValue[12 + extra];
      a[0] = tokens;
      a[1] = start;
      a[2] = padIds;
      a[3] = padded;
      a[4] = weights;
      a[5] = keys;
      a[6] = values;
      System.arraycopy(constants, 0, a, 7, constants.length);
      return a;
    }

    private long[] next(IValue tokens, int start, double[] uniforms) {
      try (IValue at = IValue.from((long) start);
          IValue u = IValue.listFrom(uniforms)) {
        IValue[] a = stepArgs(tokens, at, 4);
        a[12] = samplingArgs[0];
        a[13] = samplingArgs[1];
        a[14] = samplingArgs[2];
        a[15] = u;
        IValue ids = IValueUtils.runMethod(module, "next", a);
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
          IValue all = IValue.from(false)) {
        IValue[] a = stepArgs(tokens, start, 1);
        a[12] = all;
        try (IValue out = IValueUtils.runMethod(module, "logits", a);
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
      padIds.close();
      padded.close();
      keys.close();
      values.close();
      for (IValue v : constants) {
        v.close();
      }
      for (IValue v : samplingArgs) {
        v.close();
      }
      call.close();
    }
  }
}
