package dev.llmsweep.engine;

import dev.llmsweep.errors.BadInputException;
import java.util.List;

/**
 * One batch for {@link Generator#generate}: prompts as token ids (different lengths are left-padded
 * into one batch), the output budget and the stopping rules.
 *
 * @param prompts token ids per request, each non-empty
 * @param maxTokens maximum new tokens per request, at least 1
 * @param sampling how tokens are chosen
 * @param ignoreEos keep generating through end-of-sequence ids until {@code maxTokens}
 * @param stopStrings text that ends a request when its decoded output contains it (needs a
 *     tokenizer)
 * @param promptTexts the prompts as text, for an engine without a tokenizer (an endpoint); when
 *     given, one per request and {@code prompts} is empty
 */
public record GenerationRequest(
    List<int[]> prompts,
    int maxTokens,
    SamplingParams sampling,
    boolean ignoreEos,
    List<String> stopStrings,
    List<String> promptTexts) {

  public GenerationRequest {
    promptTexts = promptTexts == null ? List.of() : List.copyOf(promptTexts);
    prompts = prompts == null ? List.of() : prompts;
    if (prompts.isEmpty() == promptTexts.isEmpty()) {
      throw new BadInputException(
          "a batch needs at least one prompt, as token ids or as text (not both)");
    }
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.get(i) == null || prompts.get(i).length == 0) {
        throw new BadInputException("prompt " + i + " is empty");
      }
    }
    if (maxTokens < 1) {
      throw new BadInputException("max_tokens must be >= 1, got " + maxTokens);
    }
    prompts = List.copyOf(prompts);
    stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    if (sampling == null) {
      sampling = SamplingParams.greedy();
    }
  }

  public GenerationRequest(
      List<int[]> prompts,
      int maxTokens,
      SamplingParams sampling,
      boolean ignoreEos,
      List<String> stopStrings) {
    this(prompts, maxTokens, sampling, ignoreEos, stopStrings, List.of());
  }

  /**
   * Text prompts, for an engine that sends them as they are (an endpoint without a tokenizer here).
   */
  public static GenerationRequest ofTexts(
      List<String> texts,
      int maxTokens,
      SamplingParams sampling,
      boolean ignoreEos,
      List<String> stopStrings) {
    return new GenerationRequest(List.of(), maxTokens, sampling, ignoreEos, stopStrings, texts);
  }

  public static GenerationRequest greedy(List<int[]> prompts, int maxTokens) {
    return new GenerationRequest(prompts, maxTokens, SamplingParams.greedy(), false, List.of());
  }

  public int batchSize() {
    return prompts.isEmpty() ? promptTexts.size() : prompts.size();
  }

  public int longestPrompt() {
    return prompts.stream().mapToInt(p -> p.length).max().orElse(0);
  }
}
