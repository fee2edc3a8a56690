package dev.llmsweep.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A model's tokenizer, loaded from its local {@code tokenizer.json}; never downloads. */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;

  private TextTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Loads {@code dir/tokenizer.json}, or returns null when the directory has none. */
  public static TextTokenizer openIfPresent(Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    return open(file);
  }

  /** Loads a {@code tokenizer.json} file (an endpoint job's {@code tokenizer}). */
  public static TextTokenizer open(Path file) throws IOException {
    Map<String, String> options =
        Map.of(
            "addSpecialTokens", "true",
            "truncation", "false",
            "padding", "false");
    return new TextTokenizer(HuggingFaceTokenizer.newInstance(file, options));
  }

  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  /** Decodes, leaving out special tokens (BOS, EOS, padding). */
  public String decode(int[] ids) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, true);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
