package dev.llmsweep.job;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.llmsweep.engine.openai.Endpoint;
import java.util.List;

/**
 * Reads an openai experiment's client keys into {@link Serving.Client} (driver side): {@code
 * max_error_rate}, the optional request fields to {@code send}, {@code extra_body} and the {@code
 * tokenizer}. Problems go to the {@link ExperimentReader}, as {@link ServingReader}'s do.
 */
final class ClientReader {
  private final ExperimentReader x;

  ClientReader(ExperimentReader x) {
    this.x = x;
  }

  Serving.Client read() {
    double maxErrorRate = Double.NaN;
    ConfigValue m = x.value("max_error_rate");
    boolean auto =
        m != null && m.valueType() == ConfigValueType.STRING && "auto".equals(m.unwrapped());
    if (!auto) {
      double r =
          m != null && m.valueType() == ConfigValueType.NUMBER
              ? ((Number) m.unwrapped()).doubleValue()
              : -1;
      if (!(r >= 0 && r <= 1)) {
        x.fail(
            m,
            "max_error_rate",
            "is "
                + (m == null ? "missing" : m.unwrapped())
                + "; expected auto (0 for a closed"
                + " loop, no limit for an open loop) or a fraction in [0, 1], e.g. 0.05");
      }
      maxErrorRate = r;
    }
    List<String> send = List.of();
    ConfigValue sv = x.value("send");
    List<String> listed = sv == null ? null : x.strings(sv, "send");
    if (listed != null) {
      for (String f : listed) {
        if (!Endpoint.OPTIONAL_FIELDS.contains(f)) {
          x.fail(
              sv,
              "send",
              "lists '"
                  + f
                  + "', which is not an optional request field; accepted: "
                  + String.join(", ", Endpoint.OPTIONAL_FIELDS)
                  + " (add other fields with extra_body { })");
        }
      }
      send = listed;
    }
    String extraBody = null;
    ConfigValue e = x.value("extra_body");
    if (e != null && e.valueType() != ConfigValueType.OBJECT) {
      x.fail(
          e,
          "extra_body",
          "is a "
              + JobReader.type(e)
              + "; expected an object of request fields, e.g."
              + " extra_body { repetition_penalty = 1.0 }");
    } else if (e != null && !((ConfigObject) e).isEmpty()) {
      extraBody = e.render(com.typesafe.config.ConfigRenderOptions.concise());
    }
    return new Serving.Client(maxErrorRate, send, extraBody, tokenizer());
  }

  /**
   * The job's tokenizer: a {@code tokenizer.json}, or a directory holding one; null for {@code ""}.
   */
  private String tokenizer() {
    ConfigValue v = x.value("tokenizer");
    if (v == null
        || (v.valueType() == ConfigValueType.STRING && ((String) v.unwrapped()).isEmpty())) {
      return null;
    }
    String accepted =
        "; expected a tokenizer.json or a Hugging Face model directory holding one (\"\": none)";
    if (v.valueType() != ConfigValueType.STRING) {
      x.fail(v, "tokenizer", "is a " + JobReader.type(v) + accepted);
      return null;
    }
    java.nio.file.Path p = java.nio.file.Path.of((String) v.unwrapped());
    java.nio.file.Path file = java.nio.file.Files.isDirectory(p) ? p.resolve("tokenizer.json") : p;
    if (!java.nio.file.Files.isRegularFile(file)) {
      x.fail(
          v,
          "tokenizer",
          "'"
              + p
              + "': "
              + (java.nio.file.Files.isDirectory(p)
                  ? "the directory has no" + " tokenizer.json"
                  : "no such file")
              + accepted);
      return null;
    }
    return file.toAbsolutePath().toString();
  }
}
