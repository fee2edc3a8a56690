package dev.llmsweep.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The host's calibration probe: plausible figures on this CPU, and a read buffer the cache cannot
 * hold.
 */
class HostProbeTest {
  @Test
  void readsBandwidthAndFmaRateOfThisMachine() {
    HostProbe.Reading r = HostProbe.measure();
    // any machine that runs the suite: DDR4/5 and HBM hosts read 0.5-1000 GB/s over one thread per
    // core; AVX2 to AVX-512 cores do 1-10000 GFLOPS float32. A compiled-away kernel reads as
    // thousands of GB/s or TFLOPS, an interpreted one as a fraction of a GB/s.
    assertTrue(
        r.readGbps() > 0.5 && r.readGbps() < 1000, "read bandwidth " + r.readGbps() + " GB/s");
    assertTrue(r.fmaGflops() > 1 && r.fmaGflops() < 10_000, "FMA " + r.fmaGflops() + " GFLOPS");
    HostProbe.Reading again = HostProbe.measure();
    assertTrue(
        again.millis() > 0 && again.readGbps() > 0.5,
        "a second probe reuses the compiled kernels and buffer");
  }

  @Test
  void theReadBufferIsLargerThanTheLastLevelCache() {
    assertEquals(32L << 20, HostProbe.parseSize("32768K"));
    assertEquals(1L << 20, HostProbe.parseSize("1M"));
    int mb = HostProbe.bufferMegabytes();
    assertTrue(mb >= 16 && mb <= 128, mb + " MB");
  }
}
