package dev.llmsweep.job;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.llmsweep.engine.openai.Api;
import dev.llmsweep.engine.openai.Arrivals;
import dev.llmsweep.engine.openai.ServerProcess;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an experiment's engine keys into {@link Serving} (driver side): {@code engine}, {@code
 * endpoint} or {@code server { command, start_timeout_s, base_path, ready }}, {@code api}, {@code
 * api_key_env}, the timeouts, {@code vocab_size}, {@code load}, {@code slo}, and through {@link
 * ClientReader} {@code max_error_rate}, {@code send}, {@code extra_body} and {@code tokenizer}; and
 * checks that they fit together and with the axes (an open-loop {@code request_rate} needs an
 * endpoint). Problems go to the {@link ExperimentReader}.
 */
final class ServingReader {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}\\s]*}");
  private final ExperimentReader x;

  ServingReader(ExperimentReader x) {
    this.x = x;
  }

  Serving read(Map<Axis, List<Number>> axes) {
    for (String block : List.of("server", "load", "slo")) {
      ConfigValue v = x.value(block);
      List<String> keys =
          switch (block) {
            case "server" -> JobReader.SERVER_KEYS;
            case "load" -> JobReader.LOAD_KEYS;
            default -> JobReader.SLO_KEYS;
          };
      if (v != null && v.valueType() != ConfigValueType.OBJECT) {
        x.fail(
            v,
            block,
            "is a " + JobReader.type(v) + "; expected an object with " + String.join(", ", keys));
        return null;
      }
      ConfigValue ownBlock = x.own().get(block);
      if (ownBlock instanceof ConfigObject o) {
        x.job().checkKeys(o, keys, x.prefix() + "." + block + ".");
      }
    }
    String engine = x.text("engine");
    ConfigValue rate = axes.containsKey(Axis.REQUEST_RATE) ? x.value("axes.request_rate") : null;
    if (engine == null) {
      return null;
    }
    if (engine.equals(Serving.BUILTIN)) {
      for (String key : List.of("endpoint", "server.command", "api_key_env")) {
        if (x.value(key) != null) {
          x.fail(
              x.value(key),
              key,
              "is set, but engine = builtin runs the model in llm-sweep itself; add"
                  + " engine = openai to send the points to a server");
        }
      }
      if (rate != null) {
        x.fail(
            rate,
            "axes.request_rate",
            "needs engine = openai: the built-in engine batches statically"
                + " (batch_size prompts per call, all at once), so it cannot take requests as they arrive; sweep"
                + " batch_size instead, or send the points to a server with continuous batching");
      }
      return Serving.builtin();
    }
    if (!engine.equals(Serving.OPENAI)) {
      x.fail(
          x.value("engine"),
          "engine",
          "'" + engine + "' is not accepted; accepted: builtin, openai");
      return null;
    }
    String endpoint = endpoint();
    Serving.Server server = server();
    if (endpoint == null
        && server == null
        && x.value("endpoint") == null
        && x.value("server.command") == null) {
      x.fail(
          x.value("engine"),
          "engine",
          "= openai needs endpoint = \"http://host:port/v1\" (a running server) or"
              + " server.command (one started by each executor)");
    } else if (x.value("endpoint") != null && x.value("server.command") != null) {
      x.fail(
          x.value("server.command"),
          "server.command",
          "and endpoint are both set; give endpoint for a running"
              + " server, or server.command for one per executor, not both");
    }
    String apiName = x.text("api");
    Api api = apiName == null ? null : Api.parse(apiName);
    if (apiName != null && api == null) {
      x.fail(
          x.value("api"), "api", "'" + apiName + "' is not accepted; accepted: completions, chat");
    }
    String keyEnv = apiKeyEnv();
    double requestTimeout = positive("request_timeout_s", "a number of seconds > 0");
    double stallTimeout = positive("stall_timeout_s", "a number of seconds > 0");
    int vocab = x.integer("vocab_size", 4, "an integer >= 4 (the server's vocabulary size)");
    Serving.Load load = load(rate);
    Serving.Slo slo = new Serving.Slo(nonNegative("slo.ttft_ms"), nonNegative("slo.tpot_ms"));
    if (rate != null && axes.get(Axis.BATCH_SIZE).stream().anyMatch(b -> b.intValue() != 1)) {
      x.fail(
          x.value("axes.batch_size"),
          "axes.batch_size",
          "and axes.request_rate are both set; an open-loop"
              + " point sends requests one by one at request_rate, not in batches: leave batch_size out");
    }
    return new Serving(
        engine,
        endpoint,
        api,
        keyEnv,
        requestTimeout,
        stallTimeout,
        vocab,
        server,
        load,
        slo,
        new ClientReader(x).read());
  }

  private String endpoint() {
    ConfigValue v = x.value("endpoint");
    if (v == null) {
      return null;
    }
    String url = v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : null;
    String accepted = "; expected the server's API root, e.g. \"http://127.0.0.1:8000/v1\"";
    if (url == null) {
      x.fail(v, "endpoint", "is a " + JobReader.type(v) + accepted);
      return null;
    }
    try {
      URI u = URI.create(url);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        x.fail(v, "endpoint", "'" + url + "' is not an http(s) URL with a host" + accepted);
        return null;
      }
    } catch (IllegalArgumentException e) {
      x.fail(v, "endpoint", "'" + url + "' is not a URL (" + e.getMessage() + ")" + accepted);
      return null;
    }
    return url;
  }

  private Serving.Server server() {
    ConfigValue c = x.value("server.command");
    if (c == null) {
      return null;
    }
    if (c.valueType() != ConfigValueType.STRING || ((String) c.unwrapped()).isBlank()) {
      x.fail(
          c,
          "server.command",
          "is a "
              + JobReader.type(c)
              + "; expected a command such as"
              + " \"vllm serve {model} --port {port}\"");
      return null;
    }
    String command = (String) c.unwrapped();
    Matcher m = PLACEHOLDER.matcher(command);
    while (m.find()) {
      if (!ServerProcess.PLACEHOLDERS.contains(m.group())) {
        x.fail(
            c,
            "server.command",
            "uses "
                + m.group()
                + ", which is not a placeholder; accepted: "
                + String.join(", ", ServerProcess.PLACEHOLDERS)
                + " (the GPU address Spark assigned, a free port, the model)");
        return null;
      }
    }
    if (!command.contains("{port}")) {
      x.fail(
          c,
          "server.command",
          "has no {port}: the server must listen on the free port each executor picks;"
              + " accepted placeholders: "
              + String.join(", ", ServerProcess.PLACEHOLDERS));
      return null;
    }
    String basePath =
        x.value("server.base_path") != null
                && x.value("server.base_path").valueType() == ConfigValueType.STRING
            ? (String) x.value("server.base_path").unwrapped()
            : null;
    if (basePath == null || !(basePath.isEmpty() || basePath.matches("/\\S*[^/]"))) {
      x.fail(
          x.value("server.base_path"),
          "server.base_path",
          "is "
              + (basePath == null ? "not a string" : "'" + basePath + "'")
              + "; expected the API root's path on the server, e.g. \"/v1\", or \"\" for a server"
              + " that answers at its root (POST /chat/completions)");
      basePath = "/v1";
    }
    String ready = string("server.ready");
    if (ready != null
        && !(ready.equals(ServerProcess.AUTO_READY)
            || ready.equals(ServerProcess.REQUEST_READY)
            || ready.startsWith("/"))) {
      x.fail(
          x.value("server.ready"),
          "server.ready",
          "'"
              + ready
              + "' is not accepted; accepted: auto (GET "
              + String.join(", ", ServerProcess.AUTO_PROBES)
              + ", then a 1-token request), request (a 1-token request"
              + " only), or a path such as /health that answers 200 when the server is ready");
    }
    return new Serving.Server(
        command,
        positive("server.start_timeout_s", "a number of seconds > 0"),
        basePath,
        ready == null ? ServerProcess.AUTO_READY : ready);
  }

  private String apiKeyEnv() {
    ConfigValue v = x.value("api_key_env");
    if (v == null) {
      return null;
    }
    String name = v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : "";
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      // never echo the value: it may be the key itself
      x.fail(
          v,
          "api_key_env",
          "is not the name of an environment variable; give the variable's name (e.g."
              + " api_key_env = OPENAI_API_KEY), never the key itself");
      return null;
    }
    return name;
  }

  private Serving.Load load(ConfigValue rate) {
    String a = string("load.arrivals");
    Arrivals arrivals = a == null ? null : Arrivals.parse(a);
    if (a != null && arrivals == null) {
      x.fail(
          x.value("load.arrivals"),
          "load.arrivals",
          "'" + a + "' is not accepted; accepted: poisson, constant");
    }
    int requests = (int) nonNegative("load.requests");
    if (requests != nonNegative("load.requests")) {
      x.fail(
          x.value("load.requests"),
          "load.requests",
          "is not an integer; expected an integer >= 0 (requests per" + " measured repetition)");
    }
    double duration = nonNegative("load.duration_s");
    if (rate != null && (requests > 0) == (duration > 0)) {
      x.fail(
          rate,
          "axes.request_rate",
          "needs load.requests = N (requests per measured repetition) or"
              + " load.duration_s = S (seconds of arrivals), exactly one of them > 0; given requests = "
              + requests
              + ", duration_s = "
              + duration);
    }
    return new Serving.Load(0, arrivals == null ? Arrivals.POISSON : arrivals, requests, duration);
  }

  private String string(String key) {
    ConfigValue v = x.value(key);
    if (v == null
        || v.valueType() != ConfigValueType.STRING
        || ((String) v.unwrapped()).isBlank()) {
      x.fail(
          v,
          key,
          (v == null ? "is missing" : "is a " + JobReader.type(v))
              + "; expected a non-empty string");
      return null;
    }
    return (String) v.unwrapped();
  }

  private double positive(String key, String accepted) {
    ConfigValue v = x.value(key);
    if (v == null
        || v.valueType() != ConfigValueType.NUMBER
        || !(((Number) v.unwrapped()).doubleValue() > 0)) {
      x.fail(v, key, (v == null ? "is missing" : "is " + v.unwrapped()) + "; expected " + accepted);
      return 1;
    }
    return ((Number) v.unwrapped()).doubleValue();
  }

  private double nonNegative(String key) {
    ConfigValue v = x.value(key);
    if (v == null
        || v.valueType() != ConfigValueType.NUMBER
        || !(((Number) v.unwrapped()).doubleValue() >= 0)) {
      x.fail(
          v,
          key,
          (v == null ? "is missing" : "is " + v.unwrapped())
              + "; expected a number >= 0 (0: none)");
      return 0;
    }
    return ((Number) v.unwrapped()).doubleValue();
  }
}
