package dev.llmsweep.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/**
 * A loaded model that runs decoder steps on one backend: the CPU kernels (Java projections and
 * attention, CPU float32) or one TorchScript call per step (any PyTorch device and dtype). The
 * generation loop, the batch layout and the choice of backend live in the engine; each backend
 * keeps its own forward pass and KV cache. Not thread-safe.
 */
public interface Decoder extends AutoCloseable {

  LlamaConfig config();

  /** The compute dtype. */
  DataType dtype();

  /** Bytes of weights held. */
  long weightBytes();

  /** Where the weights live (what a batch allocates lives there too, freed with the batch). */
  Device device();

  /**
   * Native arrays alive: the weights and tables held after loading, plus whatever a batch has
   * allocated and not yet freed (what shows native memory staying flat across steps and calls).
   */
  int liveArrays();

  /** {@code cpu-kernels} or {@code torchscript}. */
  String backend();

  /** Starts a batch: allocates its KV cache; closing the batch frees everything it allocated. */
  Batch start(BatchShape shape, Sampling sampling);

  @Override
  void close();

  /**
   * A left-padded batch: row {@code r} has {@code pads[r]} padding slots before its prompt; the
   * cache holds {@code capacity} slots per row.
   */
  record BatchShape(int batch, int width, int capacity, int[] pads, int slidingWindow) {}

  /** Sampling settings of a batch: temperature 0 is greedy; topK 0 and topP 1 switch them off. */
  record Sampling(double temperature, int topK, double topP) {}

  /** One batch's steps. Each returns every row's chosen token id, on the host. */
  interface Batch extends AutoCloseable {

    /** The padded prompts [batch, width] through the model; each row's first new token. */
    long[] prefill(long[] paddedIds, double[] uniforms);

    /**
     * One step feeding each row's previous token ({@code previous}, as the last step returned) at
     * cache index {@code cacheIndex}; each row's next token.
     */
    long[] decode(long[] previous, int cacheIndex, double[] uniforms);

    /** float32 logits of every prompt position, [batch, width, vocab] flattened. */
    float[] promptLogits(long[] paddedIds);

    @Override
    void close();
  }
}
