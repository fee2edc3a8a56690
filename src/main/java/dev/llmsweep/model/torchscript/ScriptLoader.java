package dev.llmsweep.model.torchscript;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.model.FusedWeights;
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
 * Loading for {@link ScriptDecoder}: compiles the TorchScript step (the bundled one, or the file
 * {@code -Dllmsweep.torchscript.source} names) onto a manager's device, and gathers the weights and
 * rotary tables into the one list argument every step takes.
 */
final class ScriptLoader {
  /**
   * Names a file to compile instead of the bundled step, to try a variant of it without a rebuild.
   */
  static final String SOURCE_PROPERTY = "llmsweep.torchscript.source";

  private ScriptLoader() {}

  /**
   * The step's {@code weights} argument, a List[Tensor]: embedding, lm head, cos, sin, then per
   * layer qkv, o, gate_up, down. The rotary tables are made on {@code w}'s manager.
   */
  static IValue weights(FusedWeights w) {
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
    return IValue.listFrom(list.toArray(new PtNDArray[0]));
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
    try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
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
    if (file != null
        && resource.equals(ScriptDecoder.SOURCE)
        && !Files.isRegularFile(Path.of(file))) {
      throw new BadInputException(
          "-D"
              + SOURCE_PROPERTY
              + "="
              + file
              + ": no such file; give a variant of "
              + ScriptDecoder.SOURCE
              + " (the same methods and arguments) or leave the property unset");
    }
    try (InputStream in =
        file != null && resource.equals(ScriptDecoder.SOURCE)
            ? Files.newInputStream(Path.of(file))
            : ScriptLoader.class.getResourceAsStream(resource)) {
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
}
