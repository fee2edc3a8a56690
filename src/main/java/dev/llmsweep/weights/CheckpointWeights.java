package dev.llmsweep.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Tensors of a safetensors checkpoint, mapped from disk one at a time. Float32 data on CPU is used
 * in place (no copy); float16 is converted by PyTorch; bfloat16 is widened to float32 in Java (DJL
 * 0.36 aborts on BFLOAT16 arrays), so peak memory stays near one tensor beyond the model.
 */
public final class CheckpointWeights implements WeightSource {
  private final Checkpoint checkpoint;

  public CheckpointWeights(Checkpoint checkpoint) {
    this.checkpoint = checkpoint;
  }

  @Override
  public boolean has(String name) {
    return checkpoint.has(name);
  }

  @Override
  public NDArray load(String name, long[] shape, NDManager manager, DataType dtype) {
    TensorEntry t = checkpoint.require(name, shape);
    ByteBuffer bytes;
    try {
      bytes = SafetensorsFile.map(t);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tensor '" + name + "' from " + t.file(), e);
    }
    Shape s = new Shape(shape);
    NDArray raw =
        switch (t.dtype()) {
          case "F32" -> manager.create(bytes, s, DataType.FLOAT32);
          case "F16" -> manager.create(bytes, s, DataType.FLOAT16);
          case "BF16" -> manager.create(bf16ToFloat32(bytes), s, DataType.FLOAT32);
          default -> throw new IllegalStateException("unchecked dtype " + t.dtype());
        };
    NDArray typed = raw.toType(dtype, false);
    if (typed != raw) {
      raw.close();
    }
    return typed;
  }

  /** bfloat16 is the upper half of a float32: widening is a 16-bit shift. */
  static ByteBuffer bf16ToFloat32(ByteBuffer bf16) {
    ShortBuffer in = bf16.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    ByteBuffer out = ByteBuffer.allocateDirect(in.remaining() * 4).order(ByteOrder.nativeOrder());
    IntBuffer ints = out.asIntBuffer();
    while (in.hasRemaining()) {
      ints.put((in.get() & 0xFFFF) << 16);
    }
    return out;
  }
}
