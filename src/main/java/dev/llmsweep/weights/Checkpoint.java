package dev.llmsweep.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.errors.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * All tensors of a model directory: {@code model.safetensors}, or the shards listed by {@code
 * model.safetensors.index.json}. Opening reads every header, so a missing shard or a tensor the
 * index promises but no shard holds is found before anything is loaded.
 */
public final class Checkpoint {
  private final Path dir;
  private final Map<String, TensorEntry> tensors;

  private Checkpoint(Path dir, Map<String, TensorEntry> tensors) {
    this.dir = dir;
    this.tensors = tensors;
  }

  public static Checkpoint open(Path dir) throws IOException {
    Path single = dir.resolve("model.safetensors");
    Path index = dir.resolve("model.safetensors.index.json");
    Map<String, TensorEntry> all = new LinkedHashMap<>();
    if (Files.isRegularFile(index)) {
      JsonNode map;
      try {
        map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
      } catch (IOException e) {
        throw new ModelFormatException(index, "is not valid JSON: " + e.getMessage());
      }
      if (!map.isObject() || map.size() == 0) {
        throw new ModelFormatException(
            index, "has no 'weight_map' object naming the shard of each tensor");
      }
      TreeSet<String> shards = new TreeSet<>();
      map.elements().forEachRemaining(n -> shards.add(n.asText()));
      for (String shard : shards) {
        Path file = dir.resolve(shard);
        if (!Files.isRegularFile(file)) {
          throw new ModelFormatException(
              index, "names shard '" + shard + "' which does not exist in " + dir);
        }
        all.putAll(SafetensorsFile.readHeader(file));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        TensorEntry t = all.get(e.getKey());
        if (t == null || !t.file().getFileName().toString().equals(e.getValue().asText())) {
          throw new ModelFormatException(
              dir.resolve(e.getValue().asText()),
              "tensor '"
                  + e.getKey()
                  + "' is listed in the index but missing from this shard (incomplete shard?)");
        }
      }
    } else if (Files.isRegularFile(single)) {
      all.putAll(SafetensorsFile.readHeader(single));
    } else {
      throw new ModelFormatException(
          dir,
          "no model.safetensors or model.safetensors.index.json: llm-sweep reads safetensors checkpoints");
    }
    return new Checkpoint(dir, all);
  }

  public Path dir() {
    return dir;
  }

  public Map<String, TensorEntry> tensors() {
    return tensors;
  }

  public boolean has(String name) {
    return tensors.containsKey(name);
  }

  /** The entry, checked to have the expected shape; the error names the file and tensor. */
  public TensorEntry require(String name, long... shape) {
    TensorEntry t = tensors.get(name);
    if (t == null) {
      throw new ModelFormatException(dir, "tensor '" + name + "' is missing from the checkpoint");
    }
    if (!java.util.Arrays.equals(t.shape(), shape)) {
      throw new ModelFormatException(
          t.file(),
          "tensor '"
              + name
              + "' has shape "
              + t.shapeText()
              + " but the config implies "
              + java.util.Arrays.toString(shape));
    }
    if (!t.dtype().equals("F32") && !t.dtype().equals("F16") && !t.dtype().equals("BF16")) {
      throw new ModelFormatException(
          t.file(),
          "tensor '" + name + "' has dtype " + t.dtype() + ": accepted are F32, F16, BF16");
    }
    return t;
  }
}
