package dev.llmsweep.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Chooses next tokens on the device, copying in one uniform number per row and out one id per
 * row. Greedy is argmax. Sampling follows transformers' order (temperature, then top-k, then
 * top-p over the renormalised top-k) and draws by inverse CDF: the first token whose cumulative
 * probability reaches {@code u * total}. The uniforms come from per-request seeded generators on
 * the host, so the same seed on the same device gives the same tokens, whatever else runs.
 */
public final class Sampler {
  private final SamplingParams params;

  public Sampler(SamplingParams params) {
    this.params = params;
  }

  public SamplingParams params() {
    return params;
  }

  /**
   * @param logits [batch, vocab] float32
   * @param uniforms one number in [0, 1) per row (ignored when greedy)
   * @return chosen ids [batch] int64, on the logits' device
   */
  public NDArray sample(NDArray logits, double[] uniforms) {
    if (params.temperature() == 0) {
      return logits.argMax(-1);
    }
    NDManager m = logits.getManager();
    long batch = logits.getShape().get(0);
    long vocab = logits.getShape().get(1);
    NDArray scaled = logits.mul(1.0 / params.temperature());
    boolean filtered = params.topK() > 0 || params.topP() < 1;
    NDArray order = null; // [batch, vocab] ids by descending logit
    NDArray probs;
    if (filtered) {
      order = scaled.argSort(-1, false);
      probs = scaled.gather(order, -1).softmax(-1); // [batch, vocab], descending
      if (params.topK() > 0 && params.topK() < vocab) {
        NDArray keep = m.arange(0, (int) vocab, 1, DataType.FLOAT32).lt(params.topK()).toType(DataType.FLOAT32, false);
        probs = probs.mul(keep);
        probs = probs.div(probs.sum(new int[] {-1}, true));
      }
      if (params.topP() < 1) {
        NDArray before = probs.cumSum(-1).sub(probs); // mass strictly ahead of each token
        probs = probs.mul(before.lt(params.topP()).toType(DataType.FLOAT32, false));
      }
    } else {
      probs = scaled.softmax(-1);
    }
    NDArray cumulative = probs.cumSum(-1); // [batch, vocab]
    NDArray total = JniUtils.slice((PtNDArray) cumulative, 1, vocab - 1, vocab, 1); // [batch, 1]
    float[] u = new float[(int) batch];
    for (int i = 0; i < u.length; i++) {
      u[i] = (float) uniforms[i];
    }
    NDArray target = m.create(u, new Shape(batch, 1)).toDevice(logits.getDevice(), false).mul(total);
    NDArray index = cumulative.lt(target).sum(new int[] {-1}, true).minimum(vocab - 1); // [batch, 1]
    NDArray chosen = order == null ? index : order.gather(index, -1);
    return chosen.reshape(batch).toType(DataType.INT64, false);
  }
}
