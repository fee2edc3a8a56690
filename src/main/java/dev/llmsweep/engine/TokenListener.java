package dev.llmsweep.engine;

/**
 * Told at each generation step which token ids just reached the host and when. Step 0 is the first
 * token (end of prefill). {@code tokenIds[i]} is request i's new token, or -1 where that request
 * had already finished before this step.
 */
@FunctionalInterface
public interface TokenListener {
  TokenListener NONE = (step, tokenIds, hostNanos) -> {};

  void onStep(int step, int[] tokenIds, long hostNanos);
}
