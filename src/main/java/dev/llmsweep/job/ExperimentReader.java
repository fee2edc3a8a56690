package dev.llmsweep.job;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one experiment object of a job file, with the file's {@code defaults} and the built-in
 * defaults as fallbacks (driver side). Problems go to the {@link JobReader}; returns null when the
 * experiment has any.
 */
final class ExperimentReader {
  private final JobReader job;
  private final String prefix;
  private final ConfigObject own;
  private final ConfigObject merged;
  private final Map<String, String> where = new LinkedHashMap<>();
  private boolean failed;

  ExperimentReader(
      JobReader job, String prefix, ConfigObject own, ConfigObject defaults, ConfigObject builtIn) {
    this.job = job;
    this.prefix = prefix;
    this.own = own;
    this.merged = own.withFallback(defaults).withFallback(builtIn);
  }

  Experiment read() {
    job.checkKeys(own, JobReader.EXPERIMENT_KEYS, prefix + ".");
    where.put("", job.where(own));
    String name = null;
    ConfigValue n = own.get("name");
    if (n == null) {
      fail(own, "name", "is missing; every experiment needs a name (letters, digits, _ or -)");
    } else {
      name = job.string(n, prefix + ".name");
      if (name != null && !name.matches("[A-Za-z0-9_-]+")) {
        fail(n, "name", "'" + name + "' is not accepted; use letters, digits, _ or -");
      }
    }
    String model = text("model");
    String dtype = text("dtype");
    String device = text("device");
    if (device != null && !device.equals("cpu") && !device.equals("gpu")) {
      fail(
          merged.get("device"),
          "device",
          "'"
              + device
              + "' is not accepted; accepted: cpu, gpu (the GPU address"
              + " comes from Spark's resource scheduling)");
    }
    Map<Axis, List<Number>> axes = axes();
    List<String> prompts = List.of();
    ConfigValue p = merged.get("prompts");
    if (p != null) {
      prompts = strings(p, "prompts");
      if (prompts != null && prompts.isEmpty()) {
        fail(
            p,
            "prompts",
            "is empty; expected at least one prompt, or leave it out and set axes.prompt_tokens");
      }
      if (prompts != null && prompts.stream().anyMatch(String::isEmpty)) {
        fail(p, "prompts", "contains an empty prompt; every prompt needs text");
      }
    }
    if (prompts != null && !prompts.isEmpty() && axes.containsKey(Axis.PROMPT_TOKENS)) {
      fail(
          p,
          "prompts",
          "and axes.prompt_tokens are both set; give literal prompts or synthetic prompt lengths, not both");
    } else if ((prompts == null || prompts.isEmpty())
        && p == null
        && !axes.containsKey(Axis.PROMPT_TOKENS)
        && !failed) {
      fail(
          own,
          "prompts",
          "is missing; give prompts = [\"...\"] or synthetic prompts with axes.prompt_tokens = N");
    }
    List<List<Axis>> zip = zip(axes);
    int repetitions = integer("repetitions", 1, "a positive integer");
    int warmups = integer("warmups", 0, "an integer >= 0");
    int warmupMax = integer("warmup_max", 0, "an integer >= 0 (most warm-up calls of a point)");
    if (warmupMax < warmups) {
      fail(
          merged.get("warmup_max"),
          "warmup_max",
          "is "
              + warmupMax
              + ", below warmups = "
              + warmups
              + "; expected an integer >= warmups (equal: a fixed number of warm-ups)");
    }
    double tolerance = fraction("warmup_tolerance");
    int warmupSeconds =
        integer("warmup_max_s", 1, "an integer >= 1 (seconds of warm-up calls per point)");
    int modelWarmup =
        integer("model_warmup_s", 0, "an integer >= 0 (seconds of model warm-up; 0: none)");
    double envTolerance = fraction("env_tolerance");
    boolean ignoreEos = bool("ignore_eos");
    boolean proxy = bool("ttft_proxy");
    int timeout =
        integer(
            "point_timeout_s",
            0,
            "an integer >= 0 (seconds a point may run on its executor; 0: no limit)");
    List<String> stops = strings(merged.get("stop"), "stop");
    Serving serving = new ServingReader(this).read(axes);
    if (failed) {
      return null;
    }
    return new Experiment(
        name,
        model,
        dtype,
        device,
        prompts == null ? List.of() : List.copyOf(prompts),
        axes,
        zip,
        repetitions,
        warmups,
        ignoreEos,
        List.copyOf(stops),
        proxy,
        timeout,
        new SteadyState(warmupMax, tolerance, warmupSeconds, modelWarmup, envTolerance),
        Map.copyOf(where),
        serving);
  }

  private Map<Axis, List<Number>> axes() {
    Map<Axis, List<Number>> out = JobReader.newAxes();
    ConfigValue a = merged.get("axes");
    if (a.valueType() != ConfigValueType.OBJECT) {
      fail(
          a,
          "axes",
          "is a "
              + JobReader.type(a)
              + "; expected an object such as axes { batch_size = [1, 8] }");
      return out;
    }
    ConfigObject obj = (ConfigObject) a;
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String key = "axes." + e.getKey();
      ConfigValue v = e.getValue();
      where.put(key, job.where(v));
      Axis axis = Axis.byKey(e.getKey()).orElse(null);
      if (axis == null) {
        String hint =
            JobReader.closest(
                e.getKey(), java.util.Arrays.stream(Axis.values()).map(Axis::key).toList());
        fail(
            v,
            key,
            "is not a known axis"
                + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                + "; accepted: "
                + Axis.keys());
        continue;
      }
      List<ConfigValue> items =
          v.valueType() == ConfigValueType.LIST ? List.copyOf((ConfigList) v) : List.of(v);
      if (items.isEmpty()) {
        fail(v, key, "is empty; an axis needs at least one value (" + axis.kind.accepted + ")");
        continue;
      }
      List<Number> values = new ArrayList<>();
      Set<Double> seen = new HashSet<>();
      for (ConfigValue item : items) {
        Number num = number(item, key, axis.kind);
        if (num != null && !seen.add(num.doubleValue())) {
          fail(item, key, "lists " + num + " twice; each value of an axis must be distinct");
        } else if (num != null) {
          values.add(num);
        }
      }
      out.put(axis, List.copyOf(values));
    }
    return out;
  }

  private Number number(ConfigValue item, String key, Axis.Kind kind) {
    if (item.valueType() != ConfigValueType.NUMBER) {
      fail(item, key, "has a " + JobReader.type(item) + "; expected " + kind.accepted);
      return null;
    }
    Number num = (Number) item.unwrapped();
    boolean integral = num instanceof Integer || num instanceof Long;
    if (kind.integral() && !integral) {
      fail(item, key, "has " + num + "; expected " + kind.accepted);
      return null;
    }
    if (!kind.accepts(num.doubleValue())) {
      fail(item, key, "has " + num + ", which is out of range; expected " + kind.accepted);
      return null;
    }
    return kind.integral() ? (Number) num.longValue() : (Number) num.doubleValue();
  }

  private List<List<Axis>> zip(Map<Axis, List<Number>> axes) {
    ConfigValue z = merged.get("zip");
    where.put("zip", job.where(z));
    List<List<Axis>> groups = new ArrayList<>();
    String expected = "expected a list of axis groups such as [[max_tokens, batch_size]]";
    if (z.valueType() != ConfigValueType.LIST) {
      fail(z, "zip", "is a " + JobReader.type(z) + "; " + expected);
      return groups;
    }
    Set<Axis> used = new HashSet<>();
    for (ConfigValue g : (ConfigList) z) {
      List<String> names = g.valueType() == ConfigValueType.LIST ? strings(g, "zip") : null;
      if (names == null || names.size() < 2) {
        fail(g, "zip", "has a group that is not a list of two or more axis names; " + expected);
        continue;
      }
      List<Axis> group = new ArrayList<>();
      for (String name : names) {
        Axis axis = Axis.byKey(name).orElse(null);
        if (axis == null || !axes.containsKey(axis)) {
          fail(
              g,
              "zip",
              "names '"
                  + name
                  + "', which is not an axis of this experiment; axes: "
                  + String.join(", ", axes.keySet().stream().map(Axis::key).toList()));
        } else if (!used.add(axis)) {
          fail(g, "zip", "names '" + name + "' twice; an axis can be in one zip group only");
        } else {
          group.add(axis);
        }
      }
      long sizes = group.stream().mapToInt(a -> axes.get(a).size()).distinct().count();
      if (sizes > 1) {
        fail(
            g,
            "zip",
            "zips axes of different lengths ("
                + String.join(
                    ", ", group.stream().map(a -> a.key() + ": " + axes.get(a).size()).toList())
                + "); zipped axes need the same number of values");
      }
      groups.add(List.copyOf(group));
    }
    return groups;
  }

  String text(String key) {
    ConfigValue v = merged.get(key);
    where.put(key, job.where(v));
    if (v.valueType() != ConfigValueType.STRING || ((String) v.unwrapped()).isBlank()) {
      fail(v, key, "is a " + JobReader.type(v) + "; expected a non-empty string");
      return null;
    }
    return (String) v.unwrapped();
  }

  int integer(String key, int min, String accepted) {
    ConfigValue v = merged.get(key);
    where.put(key, job.where(v));
    Object u = v.unwrapped();
    if (v.valueType() != ConfigValueType.NUMBER || !(u instanceof Integer)) {
      fail(v, key, "is a " + JobReader.type(v) + "; expected " + accepted);
      return min;
    }
    if ((Integer) u < min) {
      fail(v, key, "is " + u + "; expected " + accepted);
    }
    return (Integer) u;
  }

  private double fraction(String key) {
    ConfigValue v = merged.get(key);
    where.put(key, job.where(v));
    String accepted = "a number in (0, 1), e.g. 0.05 for 5%";
    if (v.valueType() != ConfigValueType.NUMBER) {
      fail(v, key, "is a " + JobReader.type(v) + "; expected " + accepted);
      return 0.05;
    }
    double x = ((Number) v.unwrapped()).doubleValue();
    if (!(x > 0 && x < 1)) {
      fail(v, key, "is " + x + "; expected " + accepted);
    }
    return x;
  }

  /**
   * The merged value of a key (a path such as {@code server.command}), or null; its place noted.
   */
  ConfigValue value(String path) {
    com.typesafe.config.Config c = merged.toConfig();
    ConfigValue v = c.hasPath(path) ? c.getValue(path) : null;
    if (v != null) {
      where.put(path, job.where(v));
    }
    return v;
  }

  /**
   * Whether the experiment or the file's defaults wrote the key (not only the built-in defaults).
   */
  boolean written(String path) {
    ConfigValue v = value(path);
    return v != null && v.origin().filename() != null;
  }

  /** The experiment's key prefix in messages, e.g. {@code experiments[0]}. */
  String prefix() {
    return prefix;
  }

  ConfigObject own() {
    return own;
  }

  JobReader job() {
    return job;
  }

  private boolean bool(String key) {
    ConfigValue v = merged.get(key);
    where.put(key, job.where(v));
    if (v.valueType() != ConfigValueType.BOOLEAN) {
      fail(v, key, "is a " + JobReader.type(v) + "; expected true or false");
      return false;
    }
    return (Boolean) v.unwrapped();
  }

  List<String> strings(ConfigValue v, String key) {
    where.put(key, job.where(v));
    if (v.valueType() != ConfigValueType.LIST) {
      fail(v, key, "is a " + JobReader.type(v) + "; expected a list of strings");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (ConfigValue item : (ConfigList) v) {
      if (item.valueType() != ConfigValueType.STRING) {
        fail(item, key, "has a " + JobReader.type(item) + "; expected a list of strings");
        return null;
      }
      out.add((String) item.unwrapped());
    }
    return out;
  }

  void fail(ConfigValue at, String key, String what) {
    failed = true;
    job.problem(at, prefix + "." + key, what);
  }
}
