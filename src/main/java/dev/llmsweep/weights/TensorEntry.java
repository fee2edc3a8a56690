package dev.llmsweep.weights;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a safetensors file.
 *
 * @param name the Hugging Face name
 * @param dtype safetensors dtype code: F32, F16 or BF16 (others are rejected when loaded)
 * @param shape dimensions
 * @param file the file holding it
 * @param dataStart absolute byte offset of the first byte in the file
 * @param byteLength number of bytes
 */
public record TensorEntry(
    String name, String dtype, long[] shape, Path file, long dataStart, long byteLength) {

  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public static int bytesPerElement(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
      default -> -1;
    };
  }

  public String shapeText() {
    return Arrays.toString(shape);
  }
}
