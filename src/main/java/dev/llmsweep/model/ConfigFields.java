package dev.llmsweep.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.errors.ModelFormatException;
import java.nio.file.Path;

/** Typed reads of config.json fields, each failure naming the file and key. */
final class ConfigFields {
  private final JsonNode root;
  private final Path file;

  ConfigFields(JsonNode root, Path file) {
    this.root = root;
    this.file = file;
  }

  String architecture() {
    JsonNode archs = root.path("architectures");
    String arch = archs.isArray() && archs.size() > 0 ? archs.get(0).asText() : null;
    if (arch == null) {
      String type = root.path("model_type").asText("");
      arch =
          switch (type) {
            case "llama" -> "LlamaForCausalLM";
            case "mistral" -> "MistralForCausalLM";
            default -> null;
          };
    }
    if (arch == null || !LlamaConfig.SUPPORTED.contains(arch)) {
      throw new ModelFormatException(
          file,
          "architecture '"
              + (arch == null ? root.path("model_type").asText("?") : arch)
              + "' is not supported: accepted are LlamaForCausalLM, MistralForCausalLM");
    }
    return arch;
  }

  int requiredInt(String key) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      throw new ModelFormatException(file, "required key '" + key + "' is missing");
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
      throw new ModelFormatException(
          file, "key '" + key + "' must be a positive integer, got " + n);
    }
    return n.asInt();
  }

  int optionalInt(String key, int fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber()) {
      throw new ModelFormatException(file, "key '" + key + "' must be an integer, got " + n);
    }
    return n.asInt();
  }

  double optionalDouble(String key, double fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber()) {
      throw new ModelFormatException(file, "key '" + key + "' must be a number, got " + n);
    }
    return n.asDouble();
  }

  int slidingWindow() {
    JsonNode n = root.get("sliding_window");
    if (n == null || n.isNull() || !"MistralForCausalLM".equals(architecture())) {
      return 0;
    }
    if (!n.isIntegralNumber() || n.asInt() <= 0) {
      throw new ModelFormatException(
          file, "key 'sliding_window' must be a positive integer or null, got " + n);
    }
    return n.asInt();
  }

  int[] eosIds(JsonNode generation) {
    JsonNode n =
        generation != null && generation.has("eos_token_id")
            ? generation.get("eos_token_id")
            : root.get("eos_token_id");
    if (n == null || n.isNull()) {
      return new int[0];
    }
    if (n.isArray()) {
      int[] ids = new int[n.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = n.get(i).asInt();
      }
      return ids;
    }
    return new int[] {n.asInt()};
  }

  /**
   * Reads both spellings: {@code rope_parameters}, or {@code rope_theta} + {@code rope_scaling}.
   */
  RopeScaling rope() {
    JsonNode params = root.get("rope_parameters");
    JsonNode scaling;
    double theta;
    if (params != null && params.isObject()) {
      scaling = params;
      theta = params.path("rope_theta").asDouble(root.path("rope_theta").asDouble(10000.0));
    } else {
      scaling = root.get("rope_scaling");
      theta = optionalDouble("rope_theta", 10000.0);
    }
    if (scaling == null || scaling.isNull()) {
      return RopeScaling.plain(theta);
    }
    String type =
        scaling.has("rope_type")
            ? scaling.get("rope_type").asText()
            : scaling.path("type").asText("default");
    return switch (type) {
      case "default" -> RopeScaling.plain(theta);
      case "linear" -> new RopeScaling("linear", theta, scalingNumber(scaling, "factor"), 0, 0, 0);
      case "llama3" ->
          new RopeScaling(
              "llama3",
              theta,
              scalingNumber(scaling, "factor"),
              scalingNumber(scaling, "low_freq_factor"),
              scalingNumber(scaling, "high_freq_factor"),
              (int) scalingNumber(scaling, "original_max_position_embeddings"));
      default ->
          throw new ModelFormatException(
              file,
              "rope type '" + type + "' is not supported: accepted are default, linear, llama3");
    };
  }

  private double scalingNumber(JsonNode scaling, String key) {
    JsonNode n = scaling.get(key);
    if (n == null || !n.isNumber()) {
      throw new ModelFormatException(file, "rope scaling needs a number '" + key + "', got " + n);
    }
    return n.asDouble();
  }
}
