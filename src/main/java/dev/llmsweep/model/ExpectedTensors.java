package dev.llmsweep.model;

import dev.llmsweep.weights.WeightNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tensor a {@link LlamaConfig} needs and its shape, defined once: {@link ModelLoader} loads
 * exactly these, and the engine's model validator checks a checkpoint against them before any
 * device time is spent. Shapes are Hugging Face's {@code [out_features, in_features]}.
 */
public final class ExpectedTensors {
  private ExpectedTensors() {}

  /** Name to shape, in load order; the LM head only when the embeddings are not tied. */
  public static Map<String, long[]> of(LlamaConfig c) {
    long h = c.hiddenSize();
    long qRows = (long) c.heads() * c.headDim();
    long kvRows = (long) c.kvHeads() * c.headDim();
    long inter = c.intermediateSize();
    long vocab = c.vocabSize();
    Map<String, long[]> out = new LinkedHashMap<>();
    out.put(WeightNames.EMBED, new long[] {vocab, h});
    for (int i = 0; i < c.layers(); i++) {
      out.put(WeightNames.q(i), new long[] {qRows, h});
      out.put(WeightNames.k(i), new long[] {kvRows, h});
      out.put(WeightNames.v(i), new long[] {kvRows, h});
      out.put(WeightNames.inputNorm(i), new long[] {h});
      out.put(WeightNames.gate(i), new long[] {inter, h});
      out.put(WeightNames.up(i), new long[] {inter, h});
      out.put(WeightNames.postNorm(i), new long[] {h});
      out.put(WeightNames.o(i), new long[] {h, qRows});
      out.put(WeightNames.down(i), new long[] {h, inter});
    }
    out.put(WeightNames.FINAL_NORM, new long[] {h});
    if (!c.tieWordEmbeddings()) {
      out.put(WeightNames.LM_HEAD, new long[] {vocab, h});
    }
    return Collections.unmodifiableMap(out);
  }
}
