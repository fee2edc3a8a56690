package dev.llmsweep.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.errors.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the header of one safetensors file and maps tensor byte ranges on demand. The format: 8
 * bytes little-endian header length N, N bytes of JSON ({@code name -> {dtype, shape,
 * data_offsets}}), then the data; offsets are relative to the end of the header.
 */
public final class SafetensorsFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L * 1024 * 1024;

  private SafetensorsFile() {}

  /**
   * Parses and validates the header: every tensor's range lies inside the file and matches its
   * shape.
   */
  public static Map<String, TensorEntry> readHeader(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new ModelFormatException(
            file, "truncated safetensors file: " + size + " bytes, not even a header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
        throw new ModelFormatException(
            file,
            "truncated or corrupt safetensors file: header length "
                + headerLen
                + " does not fit the file size "
                + size);
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8);
      JsonNode root;
      try {
        root = JSON.readTree(header.array());
      } catch (IOException e) {
        throw new ModelFormatException(
            file, "safetensors header is not valid JSON: " + e.getMessage());
      }
      long dataStart = 8 + headerLen;
      long dataSize = size - dataStart;
      Map<String, TensorEntry> entries = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        entries.put(e.getKey(), entry(file, e.getKey(), e.getValue(), dataStart, dataSize));
      }
      return entries;
    }
  }

  private static TensorEntry entry(
      Path file, String name, JsonNode n, long dataStart, long dataSize) {
    String dtype = n.path("dtype").asText("");
    JsonNode shapeNode = n.path("shape");
    JsonNode offsets = n.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2 || dtype.isEmpty()) {
      throw new ModelFormatException(
          file, "tensor '" + name + "' has a malformed header entry: " + n);
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    TensorEntry t = new TensorEntry(name, dtype, shape, file, dataStart + begin, end - begin);
    int width = TensorEntry.bytesPerElement(dtype);
    if (width < 0) {
      throw new ModelFormatException(file, "tensor '" + name + "' has unknown dtype " + dtype);
    }
    if (begin < 0 || end < begin || t.elementCount() * width != end - begin) {
      throw new ModelFormatException(
          file,
          "tensor '"
              + name
              + "' is inconsistent: shape "
              + t.shapeText()
              + " of "
              + dtype
              + " needs "
              + t.elementCount() * width
              + " bytes but data_offsets span "
              + (end - begin));
    }
    if (end > dataSize) {
      throw new ModelFormatException(
          file,
          "truncated safetensors file: tensor '"
              + name
              + "' ends at byte "
              + (dataStart + end)
              + " but the file has "
              + (dataStart + dataSize));
    }
    return t;
  }

  /**
   * Maps one tensor's bytes read-only, little-endian. Tensors over 2 GiB cannot be mapped at once.
   */
  public static ByteBuffer map(TensorEntry t) throws IOException {
    if (t.byteLength() > Integer.MAX_VALUE) {
      throw new ModelFormatException(
          t.file(),
          "tensor '"
              + t.name()
              + "' is "
              + t.byteLength()
              + " bytes: a single tensor above 2 GiB is not supported");
    }
    try (FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, t.dataStart(), t.byteLength())
          .order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
  }
}
