package dev.llmsweep.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a HOCON job file into a {@link Job} (driver side). Checks every key against what is
 * accepted and every value's type and range, collecting all problems before failing; defaults come
 * from {@code defaults.conf} next to this class, then the file's {@code defaults} block.
 */
public final class JobReader {
  static final List<String> TOP_KEYS =
      List.of("name", "description", "defaults", "experiments", "spark", "compare");
  static final List<String> COMPARE_KEYS = List.of("baseline", "threshold");
  static final List<String> EXPERIMENT_KEYS =
      List.of(
          "name",
          "model",
          "dtype",
          "device",
          "prompts",
          "axes",
          "zip",
          "repetitions",
          "warmups",
          "warmup_max",
          "warmup_tolerance",
          "warmup_max_s",
          "model_warmup_s",
          "env_tolerance",
          "ignore_eos",
          "stop",
          "ttft_proxy",
          "point_timeout_s",
          "engine",
          "endpoint",
          "api",
          "api_key_env",
          "request_timeout_s",
          "stall_timeout_s",
          "vocab_size",
          "server",
          "load",
          "slo",
          "max_error_rate",
          "send",
          "extra_body",
          "tokenizer");
  static final List<String> SERVER_KEYS =
      List.of("command", "start_timeout_s", "base_path", "ready");
  static final List<String> LOAD_KEYS = List.of("arrivals", "requests", "duration_s");
  static final List<String> SLO_KEYS = List.of("ttft_ms", "tpot_ms");
  private static final Config BUILT_IN =
      ConfigFactory.parseResources(JobReader.class, "defaults.conf");

  private final String file;
  private final List<String> problems = new ArrayList<>();

  private JobReader(String file) {
    this.file = file;
  }

  /** Reads and validates a job file; throws {@link JobFileException} listing every problem. */
  public static Job read(Path path) {
    return new JobReader(path.toString()).parse(path);
  }

  private Job parse(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new JobFileException(
          List.of(file + ": no such job file (give a path such as jobs/quickstart.conf)"));
    }
    Config root;
    try {
      root =
          ConfigFactory.parseFile(
                  path.toFile(),
                  ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false))
              .resolve();
    } catch (ConfigException e) {
      throw new JobFileException(List.of(syntaxError(e)));
    }
    checkKeys(root.root(), TOP_KEYS, "");
    String name = root.hasPath("name") ? string(root.root().get("name"), "name") : baseName(path);
    ConfigObject defaults = ConfigFactory.empty().root();
    if (root.hasPath("defaults")) {
      ConfigValue d = root.root().get("defaults");
      if (d.valueType() != ConfigValueType.OBJECT) {
        problem(d, "defaults", "is a " + type(d) + "; expected an object of experiment keys");
      } else {
        defaults = (ConfigObject) d;
        List<String> allowed = new ArrayList<>(EXPERIMENT_KEYS);
        allowed.remove("name");
        checkKeys(defaults, allowed, "defaults.");
      }
    }
    List<Experiment> experiments = new ArrayList<>();
    ConfigValue exps = root.root().get("experiments");
    if (exps == null) {
      problems.add(file + ": key 'experiments' is missing; expected a list of experiment objects");
    } else if (exps.valueType() != ConfigValueType.LIST) {
      problem(
          exps, "experiments", "is a " + type(exps) + "; expected a list of experiment objects");
    } else if (((ConfigList) exps).isEmpty()) {
      problem(exps, "experiments", "is empty; expected at least one experiment");
    } else {
      Set<String> names = new HashSet<>();
      ConfigList list = (ConfigList) exps;
      for (int i = 0; i < list.size(); i++) {
        ConfigValue e = list.get(i);
        String key = "experiments[" + i + "]";
        if (e.valueType() != ConfigValueType.OBJECT) {
          problem(e, key, "is a " + type(e) + "; expected an experiment object");
          continue;
        }
        Experiment x =
            new ExperimentReader(
                    this, key, (ConfigObject) e, defaults, BUILT_IN.root().withoutKey("compare"))
                .read();
        if (x != null && !names.add(x.name())) {
          problem(
              e,
              key + ".name",
              "'" + x.name() + "' is used twice; experiment names must be unique");
        }
        if (x != null) {
          experiments.add(x);
        }
      }
    }
    Map<String, String> spark = new LinkedHashMap<>();
    if (root.hasPath("spark")) {
      readSpark(root.root().get("spark"), spark);
    }
    CompareSettings compare = readCompare(root.root().get("compare"));
    if (!problems.isEmpty()) {
      throw new JobFileException(problems);
    }
    String json = root.root().render(ConfigRenderOptions.concise().setFormatted(true));
    return new Job(
        file,
        name,
        List.copyOf(experiments),
        Map.copyOf(spark),
        json,
        PointIds.sha256(json),
        compare);
  }

  /**
   * The {@code compare} settings of a resolved job file stored as JSON (a run manifest's {@code
   * job_json}), checked like a job file's; {@code source} names it in messages.
   */
  public static CompareSettings compareSettings(String resolvedJson, String source) {
    JobReader reader = new JobReader(source);
    Config root;
    try {
      root =
          ConfigFactory.parseString(
              resolvedJson, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    } catch (ConfigException e) {
      throw new JobFileException(List.of(source + ": not valid JSON: " + e.getMessage()));
    }
    CompareSettings settings = reader.readCompare(root.root().get("compare"));
    if (!reader.problems.isEmpty()) {
      throw new JobFileException(reader.problems);
    }
    return settings;
  }

  /** The compare block over the built-in defaults; problems are collected, null then. */
  private CompareSettings readCompare(ConfigValue v) {
    ConfigObject builtIn = (ConfigObject) BUILT_IN.root().get("compare");
    ConfigObject merged = builtIn;
    if (v != null) {
      if (v.valueType() != ConfigValueType.OBJECT) {
        problem(
            v,
            "compare",
            "is a "
                + type(v)
                + "; expected an object such as compare { baseline = previous,"
                + " threshold = 0.10 }");
        return null;
      }
      checkKeys((ConfigObject) v, COMPARE_KEYS, "compare.");
      merged = ((ConfigObject) v).withFallback(builtIn);
    }
    ConfigValue b = merged.get("baseline");
    String baseline = string(b, "compare.baseline");
    if (baseline != null && baseline.startsWith("last:")) {
      try {
        CompareSettings.lastCount(baseline);
      } catch (dev.llmsweep.errors.BadInputException e) {
        problem(
            b,
            "compare.baseline",
            "'" + baseline + "' is not accepted; accepted: " + CompareSettings.ACCEPTED_BASELINES);
        baseline = null;
      }
    } else if (baseline != null
        && !baseline.equals("none")
        && !baseline.equals(CompareSettings.PREVIOUS)
        && !RunIds.isValid(baseline)) {
      problem(
          b,
          "compare.baseline",
          "'" + baseline + "' is not accepted; accepted: " + CompareSettings.ACCEPTED_BASELINES);
      baseline = null;
    }
    ConfigValue t = merged.get("threshold");
    double threshold = Double.NaN;
    if (t.valueType() != ConfigValueType.NUMBER) {
      problem(
          t,
          "compare.threshold",
          "is a " + type(t) + "; expected a number in (0, 1), e.g. 0.10 for 10%");
    } else {
      threshold = ((Number) t.unwrapped()).doubleValue();
      if (!(threshold > 0 && threshold < 1)) {
        problem(
            t,
            "compare.threshold",
            threshold + " is not accepted; expected a fraction in (0, 1), e.g. 0.10 for 10%");
      }
    }
    return new CompareSettings("none".equals(baseline) ? null : baseline, threshold);
  }

  private void readSpark(ConfigValue v, Map<String, String> out) {
    if (v.valueType() != ConfigValueType.OBJECT) {
      problem(
          v,
          "spark",
          "is a "
              + type(v)
              + "; expected an object of Spark properties such as"
              + " spark { \"spark.executor.memory\" = 8g }");
      return;
    }
    for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
      ConfigValue value = e.getValue();
      if (!e.getKey().startsWith("spark.")) {
        problem(
            value,
            "spark." + e.getKey(),
            "is not a Spark property: write the whole name quoted,"
                + " e.g. spark { \"spark.executor.memory\" = 8g }");
      } else if (value.valueType() == ConfigValueType.OBJECT
          || value.valueType() == ConfigValueType.LIST) {
        problem(
            value,
            "spark.\"" + e.getKey() + "\"",
            "is a " + type(value) + "; expected a string, number or boolean");
      } else {
        out.put(e.getKey(), String.valueOf(value.unwrapped()));
      }
    }
  }

  void checkKeys(ConfigObject obj, List<String> allowed, String prefix) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        String hint = closest(e.getKey(), allowed);
        problem(
            e.getValue(),
            prefix + e.getKey(),
            "is not a known key"
                + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                + "; accepted: "
                + String.join(", ", allowed));
      }
    }
  }

  String string(ConfigValue v, String key) {
    if (v.valueType() != ConfigValueType.STRING) {
      problem(v, key, "is a " + type(v) + "; expected a string");
      return null;
    }
    return (String) v.unwrapped();
  }

  void problem(ConfigValue at, String key, String what) {
    problems.add(where(at) + ": " + key + " " + what);
  }

  String where(ConfigValue at) {
    int line = at == null ? -1 : at.origin().lineNumber();
    if (line < 0 || at.origin().filename() == null) {
      return file;
    }
    return file + ":" + line;
  }

  static String type(ConfigValue v) {
    return switch (v.valueType()) {
      case STRING -> "string (\"" + v.unwrapped() + "\")";
      case NUMBER -> "number (" + v.unwrapped() + ")";
      case BOOLEAN -> "boolean (" + v.unwrapped() + ")";
      case LIST -> "list";
      case OBJECT -> "object";
      case NULL -> "null";
    };
  }

  private static String baseName(Path path) {
    String n = path.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  /**
   * {@code file:line: not valid HOCON: ...}, saying so plainly when the file ends inside a list or
   * object.
   */
  private String syntaxError(ConfigException e) {
    int line = e.origin() == null ? -1 : e.origin().lineNumber();
    String where = line > 0 ? file + ":" + line : file;
    String message = stripOrigin(e.getMessage()).replaceFirst("^\\d+: ", "");
    if (message.contains("end of file")) {
      return where
          + ": the file ends inside an unclosed '[' or '{' (half-written?); accepted: HOCON with every"
          + " bracket closed";
    }
    return where + ": not valid HOCON: " + message;
  }

  private static String stripOrigin(String message) {
    int colon = message.indexOf(": ");
    return colon > 0 && message.substring(0, colon).contains(".conf")
        ? message.substring(colon + 2)
        : message;
  }

  /** The accepted key within edit distance 2, if any: catches typos such as "repetition". */
  static String closest(String key, List<String> accepted) {
    String best = null;
    int bestDistance = 3;
    for (String a : accepted) {
      int d = distance(key, a);
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return best;
  }

  /**
   * Levenshtein distance: the edits from {@code a} to {@code b} (for "did you mean" suggestions).
   */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static Map<Axis, List<Number>> newAxes() {
    return new EnumMap<>(Axis.class);
  }
}
