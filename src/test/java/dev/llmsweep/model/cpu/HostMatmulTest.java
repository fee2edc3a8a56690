package dev.llmsweep.model.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CPU projection kernel against a plain double-precision product, for shapes with and without
 * tails.
 */
class HostMatmulTest {

  @ParameterizedTest
  @CsvSource({
    "8,64,1",
    "12,24,3",
    "4,7,2",
    "2304,768,1",
    "16,100,4",
    "20,48,5",
    "8,2048,8",
    "32,16,9",
    "70,33,13",
    "2304,768,32",
    "130,96,37",
    "4096,64,512",
    "352,64,576"
  })
  void matchesAPlainProduct(int out, int in, int rows) {
    SplittableRandom rng = new SplittableRandom(out * 31L + in);
    float[] w = new float[out * in];
    float[] x = new float[rows * in];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] y = new HostMatmul(w, out, in).multiply(x, rows);
    for (int m = 0; m < rows; m++) {
      for (int r = 0; r < out; r++) {
        double expected = 0;
        for (int c = 0; c < in; c++) {
          expected += (double) w[r * in + c] * x[m * in + c];
        }
        assertEquals(expected, y[m * out + r], 1e-4 * Math.sqrt(in), "row " + m + ", output " + r);
      }
    }
  }
}
