package dev.llmsweep.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Random weights created directly on the target device, for synthetic models of real architectures.
 * Speed does not depend on weight values; norms are ones as in a fresh model.
 */
public final class RandomWeights implements WeightSource {
  private final boolean tied;

  public RandomWeights(boolean tiedEmbeddings) {
    this.tied = tiedEmbeddings;
  }

  @Override
  public boolean has(String name) {
    return !(tied && name.equals(WeightNames.LM_HEAD));
  }

  @Override
  public NDArray load(String name, long[] shape, NDManager manager, DataType dtype) {
    Shape s = new Shape(shape);
    if (name.endsWith("norm.weight")) {
      return manager.ones(s, dtype);
    }
    return manager.randomNormal(0f, 0.02f, s, dtype);
  }
}
