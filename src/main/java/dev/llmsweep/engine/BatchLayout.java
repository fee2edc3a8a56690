package dev.llmsweep.engine;

import dev.llmsweep.model.Decoder;
import java.util.List;

/**
 * Host-side layout of a left-padded batch: the padded prompt ids and each row's padding, from which
 * each backend derives position ids (as transformers computes them, {@code cumsum(mask) - 1}) and
 * what each query may attend to.
 */
final class BatchLayout {
  private final int batch;
  private final int promptWidth; // longest prompt
  private final int capacity; // promptWidth + maxTokens
  private final int slidingWindow; // 0: none
  private final int[] promptLengths;

  BatchLayout(List<int[]> prompts, int maxTokens, int slidingWindow) {
    this.batch = prompts.size();
    this.promptLengths = prompts.stream().mapToInt(p -> p.length).toArray();
    this.promptWidth = java.util.Arrays.stream(promptLengths).max().orElse(0);
    this.capacity = promptWidth + maxTokens;
    this.slidingWindow = slidingWindow;
  }

  int batch() {
    return batch;
  }

  int capacity() {
    return capacity;
  }

  int slidingWindow() {
    return slidingWindow;
  }

  /** Per row, the cache index of its first real token: the left padding before it. */
  int[] firstKeys() {
    int[] first = new int[batch];
    for (int r = 0; r < batch; r++) {
      first[r] = promptWidth - promptLengths[r];
    }
    return first;
  }

  int promptWidth() {
    return promptWidth;
  }

  int promptLength(int row) {
    return promptLengths[row];
  }

  /** [batch, promptWidth] int64, left-padded with {@code padId}. */
  long[] paddedIds(List<int[]> prompts, int padId) {
    long[] ids = new long[batch * promptWidth];
    for (int r = 0; r < batch; r++) {
      int pad = promptWidth - promptLengths[r];
      for (int j = 0; j < promptWidth; j++) {
        ids[r * promptWidth + j] = j < pad ? padId : prompts.get(r)[j - pad];
      }
    }
    return ids;
  }

  /** What a backend needs of this layout. */
  Decoder.BatchShape shape() {
    return new Decoder.BatchShape(batch, promptWidth, capacity, firstKeys(), slidingWindow);
  }
}
