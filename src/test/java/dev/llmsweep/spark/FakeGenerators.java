package dev.llmsweep.spark;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.FinishReason;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.ModelInfo;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.TokenListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A fake engine for tests of Spark plumbing only (GPU addresses on machines without GPUs): it
 * "loads" onto any device, including fake GPUs, and emits one token per ~1 ms step without
 * computing anything. Tests of measurements use the real tiny model instead.
 */
public final class FakeGenerators implements GeneratorFactory {
  @Override
  public Generator load(String model, ComputeDevice device) {
    return new Fake(new ModelInfo(model, "fake", 0, 0, 4096, 259, device.name(), device.dtype()));
  }

  private record Fake(ModelInfo info) implements Generator {
    @Override
    public BatchOutput generate(GenerationRequest request, TokenListener listener) {
      long submit = System.nanoTime();
      int batch = request.batchSize();
      long[] steps = new long[request.maxTokens()];
      for (int s = 0; s < steps.length; s++) {
        LockSupport.parkNanos(1_000_000);
        steps[s] = System.nanoTime();
        int[] ids = new int[batch];
        java.util.Arrays.fill(ids, 3 + s % 200);
        listener.onStep(s, ids, steps[s]);
      }
      List<RequestOutput> out = new ArrayList<>();
      for (int r = 0; r < batch; r++) {
        int[] ids = new int[steps.length];
        for (int s = 0; s < ids.length; s++) {
          ids[s] = 3 + s % 200;
        }
        out.add(
            new RequestOutput(
                request.prompts().get(r).length,
                ids,
                steps.clone(),
                null,
                FinishReason.LENGTH,
                submit));
      }
      return new BatchOutput(submit, steps, System.nanoTime(), out);
    }

    @Override
    public int[] encode(String text) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      int[] ids = new int[b.length];
      for (int i = 0; i < b.length; i++) {
        ids[i] = 3 + (b[i] & 0xff);
      }
      return ids;
    }

    @Override
    public String decode(int[] ids) {
      return "";
    }

    @Override
    public boolean hasTokenizer() {
      return true;
    }

    @Override
    public void close() {}
  }
}
