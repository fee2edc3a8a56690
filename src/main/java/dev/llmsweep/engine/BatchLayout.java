package dev.llmsweep.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Host-side layout of a left-padded batch: the padded prompt ids, position ids (as transformers
 * computes them, {@code cumsum(mask) - 1}) and additive attention masks. Masked entries get a
 * large finite negative so that rows of pure padding stay finite (never NaN) yet contribute
 * exactly zero probability to real rows.
 */
final class BatchLayout {
  private final int batch;
  private final int promptWidth; // longest prompt
  private final int capacity; // promptWidth + maxTokens
  private final int slidingWindow; // 0: none
  private final int[] promptLengths;
  private final float masked;

  BatchLayout(List<int[]> prompts, int maxTokens, int slidingWindow, DataType dtype) {
    this.batch = prompts.size();
    this.promptLengths = prompts.stream().mapToInt(p -> p.length).toArray();
    this.promptWidth = java.util.Arrays.stream(promptLengths).max().orElse(0);
    this.capacity = promptWidth + maxTokens;
    this.slidingWindow = slidingWindow;
    // two masked components may add up: each stays below half the dtype's range
    this.masked = dtype == DataType.FLOAT16 ? -30000f : -1e30f;
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

  /** Prefill position ids [batch, promptWidth]; padding gets 1 as in transformers. */
  long[] prefillPositions() {
    long[] pos = new long[batch * promptWidth];
    for (int r = 0; r < batch; r++) {
      int pad = promptWidth - promptLengths[r];
      for (int j = 0; j < promptWidth; j++) {
        pos[r * promptWidth + j] = j < pad ? 1 : j - pad;
      }
    }
    return pos;
  }

  /** Position ids [batch, 1] of the token fed at cache index {@code cacheIndex} (> promptWidth - 1). */
  long[] decodePositions(int cacheIndex) {
    long[] pos = new long[batch];
    for (int r = 0; r < batch; r++) {
      pos[r] = cacheIndex - (promptWidth - promptLengths[r]);
    }
    return pos;
  }

  /** Padding component for every cache slot: [batch, 1, 1, capacity]. */
  NDArray paddingMask(NDManager m, DataType dtype) {
    float[] mask = new float[batch * capacity];
    for (int r = 0; r < batch; r++) {
      int pad = promptWidth - promptLengths[r];
      for (int j = 0; j < pad; j++) {
        mask[r * capacity + j] = masked;
      }
    }
    return m.create(mask, new Shape(batch, 1, 1, capacity)).toType(dtype, false);
  }

  /** Causal (and sliding-window) component for the prefill queries: [promptWidth, promptWidth]. */
  NDArray causalMask(NDManager m, DataType dtype) {
    int t = promptWidth;
    float[] mask = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < t; j++) {
        mask[i * t + j] = allowed(i, j) ? 0 : masked;
      }
    }
    return m.create(mask, new Shape(t, t)).toType(dtype, false);
  }

  /**
   * Sliding-window component for a decode query at cache index {@code q} over keys {@code [0,
   * q]}, or null when the window does not cut anything yet.
   */
  NDArray windowRow(NDManager m, DataType dtype, int q) {
    if (slidingWindow == 0 || q < slidingWindow) {
      return null;
    }
    float[] row = new float[q + 1];
    for (int j = 0; j <= q; j++) {
      row[j] = allowed(q, j) ? 0 : masked;
    }
    return m.create(row, new Shape(q + 1)).toType(dtype, false);
  }

  /** Query at cache index i may see key j: causal, and within the window when there is one. */
  private boolean allowed(int i, int j) {
    return j <= i && (slidingWindow == 0 || i - j < slidingWindow);
  }
}
