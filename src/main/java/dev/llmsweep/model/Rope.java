package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings, applied to the fused q/k/v projection in one pass: {@code x * cos +
 * rotateHalf(x) * sin}, where rotateHalf is a fixed [headDim, headDim] matrix product and the
 * value heads get cos 1, sin 0. The per-step cos/sin are built once per step and shared by all
 * layers. On the CPU kernels the same tables stay Java arrays and {@link #rotate} applies them; on
 * PyTorch they are NDArrays for {@link #forPositions} and {@link #apply}.
 */
public final class Rope {
  private final int headDim;
  private final int rotatedHeads; // heads + kvHeads
  private final int valueHeads; // kvHeads
  private final NDArray cosTable; // [maxPositions, headDim]; null on the CPU kernels
  private final NDArray sinTable; // [maxPositions, headDim]; null on the CPU kernels
  private final NDArray rotateHalf; // [headDim, headDim]; null on the CPU kernels
  private final float[] hostCos; // [maxPositions, headDim]; null on PyTorch
  private final float[] hostSin; // [maxPositions, headDim]; null on PyTorch

  public Rope(NDManager manager, LlamaConfig config, DataType dtype, boolean onHost) {
    this.headDim = config.headDim();
    this.rotatedHeads = config.heads() + config.kvHeads();
    this.valueHeads = config.kvHeads();
    float[] inv = config.rope().inverseFrequencies(headDim);
    int positions = config.maxPositions();
    int half = headDim / 2;
    float[] cos = new float[positions * headDim];
    float[] sin = new float[positions * headDim];
    for (int p = 0; p < positions; p++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) p * inv[i];
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        cos[p * headDim + i] = c;
        cos[p * headDim + i + half] = c;
        sin[p * headDim + i] = s;
        sin[p * headDim + i + half] = s;
      }
    }
    if (onHost) {
      this.hostCos = cos;
      this.hostSin = sin;
      this.cosTable = null;
      this.sinTable = null;
      this.rotateHalf = null;
      return;
    }
    this.hostCos = null;
    this.hostSin = null;
    float[] rot = new float[headDim * headDim];
    for (int j = 0; j < half; j++) {
      rot[(j + half) * headDim + j] = -1; // out[j] = -x[j + half]
      rot[j * headDim + j + half] = 1; // out[j + half] = x[j]
    }
    Shape table = new Shape(positions, headDim);
    this.cosTable = manager.create(cos, table).toType(dtype, false);
    this.sinTable = manager.create(sin, table).toType(dtype, false);
    this.rotateHalf = manager.create(rot, new Shape(headDim, headDim)).toType(dtype, false);
  }

  /**
   * The cos and sin for one step, shaped to multiply the fused projection.
   *
   * @param positions [batch, tokens] int64 position ids
   * @return cos and sin, each [batch, tokens, heads + 2 * kvHeads, headDim]
   */
  public NDList forPositions(NDArray positions) {
    Shape ps = positions.getShape();
    long b = ps.get(0);
    long t = ps.get(1);
    NDArray cos = cosTable.getNDArrayInternal().embedding(positions, cosTable, ai.djl.ndarray.types.SparseFormat.DENSE).get(0); // [b, t, headDim]
    NDArray sin = sinTable.getNDArrayInternal().embedding(positions, sinTable, ai.djl.ndarray.types.SparseFormat.DENSE).get(0);
    Shape rotated = new Shape(b, t, rotatedHeads, headDim);
    NDManager m = positions.getManager();
    NDArray ones = m.ones(new Shape(b, t, valueHeads, headDim), cos.getDataType());
    NDArray zeros = m.zeros(new Shape(b, t, valueHeads, headDim), cos.getDataType());
    NDArray cosAll = NDArrays.concat(new NDList(cos.expandDims(2).broadcast(rotated), ones), 2);
    NDArray sinAll = NDArrays.concat(new NDList(sin.expandDims(2).broadcast(rotated), zeros), 2);
    return new NDList(cosAll, sinAll);
  }

  /**
   * The CPU kernels' rotation, in place and with the same float operations as {@link #apply}:
   * {@code qkv} [rows, heads + 2 * kvHeads, headDim] (rows = batch * tokens), row {@code r} at
   * position {@code positions[r]}; the first heads + kvHeads heads (q and k) are rotated.
   */
  public void rotate(float[] qkv, long[] positions) {
    int half = headDim / 2;
    int fused = rotatedHeads + valueHeads;
    for (int r = 0; r < positions.length; r++) {
      int table = (int) positions[r] * headDim;
      for (int h = 0; h < rotatedHeads; h++) {
        int x = (r * fused + h) * headDim;
        for (int i = 0; i < half; i++) {
          float a = qkv[x + i];
          float b = qkv[x + i + half];
          qkv[x + i] = a * hostCos[table + i] + -b * hostSin[table + i];
          qkv[x + i + half] = b * hostCos[table + i + half] + a * hostSin[table + i + half];
        }
      }
    }
  }

  /** {@code qkv}: [batch, tokens, heads + 2 * kvHeads, headDim], rotated in q and k only. */
  public NDArray apply(NDArray qkv, NDList cosSin) {
    return qkv.mul(cosSin.get(0)).add(qkv.matMul(rotateHalf).mul(cosSin.get(1)));
  }
}
