package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * A model's weights as every backend takes them, in one manager: q/k/v fused (q pre-scaled by
 * 1/sqrt(headDim)) and gate/up fused, each RMSNorm gain folded into the columns of the projection
 * after it, the LM head its own copy even when tied.
 *
 * @param embedding [vocab, hidden]
 * @param lmHead [vocab, hidden], final norm gain folded in
 * @param layers per layer: qkv [(heads + 2 * kvHeads) * headDim, hidden], o [hidden, heads *
 *     headDim], gateUp [2 * intermediate, hidden], down [hidden, intermediate]
 */
public record FusedWeights(
    LlamaConfig config,
    NDManager manager,
    DataType dtype,
    NDArray embedding,
    NDArray lmHead,
    List<Layer> layers,
    long weightBytes) {

  /** One decoder layer's projections. */
  public record Layer(NDArray qkv, NDArray o, NDArray gateUp, NDArray down) {}
}
