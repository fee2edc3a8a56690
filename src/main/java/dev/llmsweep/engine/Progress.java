package dev.llmsweep.engine;

import dev.llmsweep.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-request bookkeeping during generation: tokens and their host times, and when and why each
 * request finished. A finished request's later tokens are discarded (the batch keeps its shape).
 */
final class Progress {
  private final GenerationRequest request;
  private final int[] eos;
  private final int[][] tokens;
  private final long[][] nanos;
  private final int[] count;
  private final FinishReason[] finish;
  private final String[] stopText; // text cut before the stop string
  private int unfinished;

  Progress(GenerationRequest request, int[] eosIds) {
    this.request = request;
    this.eos = eosIds.clone();
    int b = request.batchSize();
    this.tokens = new int[b][request.maxTokens()];
    this.nanos = new long[b][request.maxTokens()];
    this.count = new int[b];
    this.finish = new FinishReason[b];
    this.stopText = new String[b];
    this.unfinished = b;
  }

  /** Records one step's ids; returns what the listener sees (-1 for already finished rows). */
  int[] accept(long[] chosen, long hostNanos, TextTokenizer tokenizer) {
    int[] reported = new int[chosen.length];
    for (int r = 0; r < chosen.length; r++) {
      if (finish[r] != null) {
        reported[r] = -1;
        continue;
      }
      int id = (int) chosen[r];
      reported[r] = id;
      tokens[r][count[r]] = id;
      nanos[r][count[r]] = hostNanos;
      count[r]++;
      if (!request.ignoreEos() && isEos(id)) {
        finish(r, FinishReason.EOS);
      } else if (!request.stopStrings().isEmpty() && hitsStop(r, tokenizer)) {
        finish(r, FinishReason.STOP_STRING);
      } else if (count[r] == request.maxTokens()) {
        finish(r, FinishReason.LENGTH);
      }
    }
    return reported;
  }

  private boolean isEos(int id) {
    for (int e : eos) {
      if (e == id) {
        return true;
      }
    }
    return false;
  }

  private boolean hitsStop(int r, TextTokenizer tokenizer) {
    String text = tokenizer.decode(Arrays.copyOf(tokens[r], count[r]));
    int cut = -1;
    for (String stop : request.stopStrings()) {
      int at = text.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    if (cut >= 0) {
      stopText[r] = text.substring(0, cut);
      return true;
    }
    return false;
  }

  private void finish(int r, FinishReason reason) {
    finish[r] = reason;
    unfinished--;
  }

  boolean allFinished() {
    return unfinished == 0;
  }

  List<RequestOutput> outputs(BatchLayout layout, TextTokenizer tokenizer, long submitNanos) {
    List<RequestOutput> out = new ArrayList<>();
    for (int r = 0; r < tokens.length; r++) {
      int[] ids = Arrays.copyOf(tokens[r], count[r]);
      String text = null;
      if (tokenizer != null) {
        text = stopText[r] != null ? stopText[r] : tokenizer.decode(ids);
      }
      out.add(
          new RequestOutput(
              layout.promptLength(r),
              ids,
              Arrays.copyOf(nanos[r], count[r]),
              text,
              finish[r],
              submitNanos));
    }
    return out;
  }
}
