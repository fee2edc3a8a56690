package dev.llmsweep.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Engines;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.metrics.BatchMetrics;
import dev.llmsweep.metrics.RequestMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code submit generate}: one batch through the engine, without Spark. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Generate for one prompt or one left-padded batch of token-id sequences, and print the timings.")
public final class GenerateCommand implements Callable<Integer> {

  @Mixin ModelOptions model = new ModelOptions("tiny");

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--prompt", description = "prompt text (needs the model's tokenizer.json)")
    String prompt;

    @Option(
        names = "--input-ids",
        description = "token ids: \"1,2,3;1,5,9,4\" (';' separates sequences of one batch)")
    String inputIds;
  }

  @Option(
      names = "--max-tokens",
      defaultValue = "32",
      description = "new tokens per sequence (default: ${DEFAULT-VALUE})")
  int maxTokens;

  @Option(
      names = "--temperature",
      defaultValue = "0",
      description = "0 is greedy (default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(
      names = "--top-p",
      defaultValue = "1.0",
      description = "nucleus sampling mass, 1 = off (default: ${DEFAULT-VALUE})")
  double topP;

  @Option(
      names = "--top-k",
      defaultValue = "0",
      description = "keep the k most likely tokens, 0 = off (default: ${DEFAULT-VALUE})")
  int topK;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "sampling seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--ignore-eos", description = "generate all max-tokens even past end-of-sequence")
  boolean ignoreEos;

  @Option(names = "--stop", description = "stop string (repeatable)")
  List<String> stops = new ArrayList<>();

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ComputeDevice dev = model.computeDevice();
    SamplingParams sampling = new SamplingParams(temperature, topP, topK, seed);
    try (Generator g = Engines.load(model.model, dev)) {
      List<int[]> prompts =
          input.prompt != null ? List.of(encode(g, input.prompt)) : parseIds(input.inputIds);
      GenerationRequest request =
          new GenerationRequest(prompts, maxTokens, sampling, ignoreEos, stops);
      BatchOutput out = g.generate(request, TokenListener.NONE);
      System.out.println(json ? toJson(out) : toText(out));
    }
    return 0;
  }

  private static int[] encode(Generator g, String prompt) {
    if (!g.hasTokenizer()) {
      throw new BadInputException(
          g.info().name()
              + " has no tokenizer.json, so --prompt cannot be encoded: give --input-ids");
    }
    return g.encode(prompt);
  }

  static List<int[]> parseIds(String text) {
    List<int[]> out = new ArrayList<>();
    for (String seq : text.split(";")) {
      String[] parts = seq.trim().split("\\s*,\\s*");
      int[] ids = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          ids[i] = Integer.parseInt(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new BadInputException(
              "--input-ids: '" + parts[i] + "' is not a token id; expected e.g. \"1,2,3;1,5,9,4\"");
        }
        if (ids[i] < 0) {
          throw new BadInputException("--input-ids: token id " + ids[i] + " is negative");
        }
      }
      out.add(ids);
    }
    return out;
  }

  private static String toJson(BatchOutput out) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ArrayNode requests = root.putArray("requests");
    for (RequestOutput r : out.requests()) {
      RequestMetrics m = RequestMetrics.of(out, r);
      ObjectNode n = requests.addObject();
      ArrayNode ids = n.putArray("new_token_ids");
      for (int id : r.newTokenIds()) {
        ids.add(id);
      }
      if (r.text() != null) {
        n.put("text", r.text());
      }
      n.put("finish_reason", r.finishReason().label());
      n.put("ttft_ms", m.ttftMs());
      n.put("e2e_ms", m.e2eMs());
      if (Double.isNaN(m.tpotMs())) {
        n.putNull("tpot_ms");
      } else {
        n.put("tpot_ms", m.tpotMs());
      }
    }
    BatchMetrics b = BatchMetrics.of(out);
    root.put("prefill_ms", b.prefillMs());
    ArrayNode steps = root.putArray("decode_ms");
    for (double d : b.decodeStepMs()) {
      steps.add(d);
    }
    return mapper.writeValueAsString(root);
  }

  /**
   * The text with control characters written as escapes ({@code \n}, {@code \t}, {@code \x1b}): a
   * model's raw output must not move the terminal's cursor, ring it or change its colours.
   */
  static String printable(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\n') {
                b.append("\\n");
              } else if (c == '\t') {
                b.append("\\t");
              } else if (c == '\\') {
                b.append("\\\\");
              } else if (Character.getType(c) == Character.CONTROL
                  || Character.getType(c) == Character.FORMAT) {
                b.append(
                    c <= 0xff
                        ? String.format(Locale.ROOT, "\\x%02x", c)
                        : String.format(Locale.ROOT, "\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }

  private static String toText(BatchOutput out) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    for (RequestOutput r : out.requests()) {
      RequestMetrics m = RequestMetrics.of(out, r);
      sb.append(
          String.format(
              Locale.ROOT,
              "[%d] %s%n",
              i++,
              r.text() != null ? printable(r.text()) : java.util.Arrays.toString(r.newTokenIds())));
      sb.append(
          String.format(
              Locale.ROOT,
              "    %d tokens, finish=%s, ttft=%.2f ms, tpot=%.2f ms, e2e=%.2f ms%n",
              r.newTokenIds().length,
              r.finishReason().label(),
              m.ttftMs(),
              m.tpotMs(),
              m.e2eMs()));
    }
    BatchMetrics b = BatchMetrics.of(out);
    sb.append(
        String.format(
            Locale.ROOT,
            "prefill %.2f ms, %d decode steps, batch %.2f ms, %.1f tok/s",
            b.prefillMs(),
            b.decodeStepMs().length,
            b.batchLatencyMs(),
            b.outputTokensPerSecond()));
    return sb.toString();
  }
}
