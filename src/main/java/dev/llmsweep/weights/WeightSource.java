package dev.llmsweep.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** Where a model's tensors come from: a checkpoint on disk or random values for benchmarking. */
public interface WeightSource {

  /**
   * The tensor {@code name} with the expected {@code shape}, created by {@code manager} (on its
   * device) in {@code dtype}.
   */
  NDArray load(String name, long[] shape, NDManager manager, DataType dtype);

  /** Whether the source has a tensor of that name (an untied checkpoint has {@code lm_head}). */
  boolean has(String name);
}
