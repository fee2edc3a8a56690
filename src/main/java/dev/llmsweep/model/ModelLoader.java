package dev.llmsweep.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.llmsweep.weights.WeightNames;
import dev.llmsweep.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a model's {@link FusedWeights} from a weight source: checks each tensor's shape against
 * the config (the names and shapes of {@link ExpectedTensors}, which the model validator checks
 * too), fuses q/k/v (q pre-scaled by 1/sqrt(headDim)) and gate/up, folds each RMSNorm gain into the
 * columns of the projection after it, and ties the LM head to the embedding when asked.
 * Intermediate tensors live in a scratch manager closed per layer.
 */
public final class ModelLoader {
  private ModelLoader() {}

  public static FusedWeights load(
      LlamaConfig c, WeightSource source, Device device, DataType dtype) {
    NDManager manager = NDManager.newBaseManager(device);
    try {
      Map<String, long[]> shapes = ExpectedTensors.of(c);
      long bytesPerValue = dtype.getNumOfBytes();
      NDArray embedding =
          source.load(WeightNames.EMBED, shapes.get(WeightNames.EMBED), manager, dtype);
      List<FusedWeights.Layer> layers = new ArrayList<>();
      for (int i = 0; i < c.layers(); i++) {
        layers.add(layer(c, shapes, i, source, manager, dtype));
      }
      NDArray lmHead;
      try (NDManager scratch = manager.newSubManager()) {
        NDArray gain =
            source.load(WeightNames.FINAL_NORM, shapes.get(WeightNames.FINAL_NORM), scratch, dtype);
        NDArray head =
            c.tieWordEmbeddings()
                ? embedding
                : source.load(WeightNames.LM_HEAD, shapes.get(WeightNames.LM_HEAD), scratch, dtype);
        lmHead = foldGain(head, gain); // [vocab, hidden]; a copy even when tied
        lmHead.attach(manager);
      }
      long weightBytes = c.parameterCount() * bytesPerValue;
      return new FusedWeights(c, manager, dtype, embedding, lmHead, layers, weightBytes);
    } catch (RuntimeException | Error e) {
      manager.close();
      throw e;
    }
  }

  private static FusedWeights.Layer layer(
      LlamaConfig c,
      Map<String, long[]> shapes,
      int i,
      WeightSource source,
      NDManager manager,
      DataType dtype) {
    long d = c.headDim();
    NDArray qkv;
    NDArray gateUp;
    try (NDManager scratch = manager.newSubManager()) {
      NDArray q = source.load(WeightNames.q(i), shapes.get(WeightNames.q(i)), scratch, dtype);
      NDArray k = source.load(WeightNames.k(i), shapes.get(WeightNames.k(i)), scratch, dtype);
      NDArray v = source.load(WeightNames.v(i), shapes.get(WeightNames.v(i)), scratch, dtype);
      NDArray scaledQ = q.mul(1.0 / Math.sqrt(d));
      NDArray inputGain =
          source.load(
              WeightNames.inputNorm(i), shapes.get(WeightNames.inputNorm(i)), scratch, dtype);
      qkv =
          foldGain(
              NDArrays.concat(new NDList(scaledQ, k, v), 0), inputGain); // [(h + 2kv) * d, hidden]
      NDArray gate =
          source.load(WeightNames.gate(i), shapes.get(WeightNames.gate(i)), scratch, dtype);
      NDArray up = source.load(WeightNames.up(i), shapes.get(WeightNames.up(i)), scratch, dtype);
      NDArray postGain =
          source.load(WeightNames.postNorm(i), shapes.get(WeightNames.postNorm(i)), scratch, dtype);
      gateUp =
          foldGain(
              NDArrays.concat(new NDList(gate, up), 0), postGain); // [2 * intermediate, hidden]
      qkv.attach(manager);
      gateUp.attach(manager);
    }
    NDArray o = source.load(WeightNames.o(i), shapes.get(WeightNames.o(i)), manager, dtype);
    NDArray down =
        source.load(WeightNames.down(i), shapes.get(WeightNames.down(i)), manager, dtype);
    return new FusedWeights.Layer(qkv, o, gateUp, down);
  }

  /** {@code weight} [out, hidden] times the gain {@code gain} [hidden] along its columns. */
  private static NDArray foldGain(NDArray weight, NDArray gain) {
    return weight.mul(gain); // broadcast over rows
  }
}
