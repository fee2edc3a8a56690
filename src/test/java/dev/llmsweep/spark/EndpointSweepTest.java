package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.engine.openai.FakeServerMain;
import dev.llmsweep.engine.openai.ScriptedServer;
import dev.llmsweep.spec.Plan;
import dev.llmsweep.store.RunStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep against a running endpoint on a local Spark session: closed-loop batches, requests that
 * fail mid-stream (data, not point failures), and open-loop points, down to the points table and
 * the load_sweep view.
 */
class EndpointSweepTest {
  @TempDir
  Path dir;

  @Test
  void endpointRowsSayWhichEngineAndEndpointFailedRequestsAreCountedAndOpenLoopPointsReachTheLoadView()
      throws Exception {
    try (ScriptedServer server = FakeServerMain.start(0, 1, () -> { }, Integer.MAX_VALUE)) {
      TestSpark.stopAnyContext();
      SparkSession spark = SparkSettings.session(SparkTests.local());
      try {
        Path job = SparkTests.jobFile(dir, "ep", """
            defaults { engine = openai, endpoint = "%s", model = fake, warmups = 0, warmup_max = 0, model_warmup_s = 0 }
            experiments = [
              { name = batch, axes { prompt_tokens = 16, batch_size = [1, 4], max_tokens = 8 }, repetitions = 2 }
              { name = flaky, axes { prompt_tokens = 16, batch_size = 4, max_tokens = 3 }, repetitions = 2 }
              { name = load, load { requests = 10 }, slo { ttft_ms = 1000, tpot_ms = 1000 },
                axes { prompt_tokens = 16, max_tokens = 4, request_rate = [50, 200] }, repetitions = 1 }
            ]
            """.formatted(server.baseUrl()));
        Plan plan = SparkTests.plan(job);
        RunStore store = RunStore.open(dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration());
        SweepJob.Result r = SparkTests.sweep(spark, store, "ep-run", null).run(plan);
        assertEquals(plan.points().size(), store.committedPoints("ep-run").size(), "every point committed: " + r);

        var requests = SparkTests.requests(spark, store, "ep-run");
        List<Row> sources = requests.select("engine", "endpoint").distinct().collectAsList();
        assertEquals(List.of(Row.fromSeq(scala.jdk.javaapi.CollectionConverters.asScala(
            List.<Object>of("openai", server.baseUrl())).toSeq())), sources);
        assertEquals(Set.of(8), Set.copyOf(requests.where("experiment = 'batch'").select("output_tokens").distinct()
            .as(org.apache.spark.sql.Encoders.INT()).collectAsList()), "max_tokens forced through ignore_eos");
        List<Row> failed = requests.where("experiment = 'flaky' AND error IS NOT NULL")
            .select("finish_reason", "error").distinct().collectAsList();
        assertEquals(1, failed.size(), failed.toString());
        assertEquals("error", failed.get(0).getString(0));
        assertTrue(failed.get(0).getString(1).contains("server error mid-stream: scripted failure for odd seeds"));

        Aggregator.aggregate(spark, store.uri(), "ep-run");
        Views.load(spark, store.uri(), "ep-run", Set.of());
        Row flaky = spark.sql("SELECT error_rate, failed_requests, requests, ttft_count FROM points"
            + " WHERE experiment = 'flaky'").first();
        assertEquals(0.5, flaky.getDouble(0), 1e-12, "requests with odd seeds fail: 2 of 4 per call");
        assertEquals(4L, flaky.getLong(1));
        assertEquals(8L, flaky.getLong(2));
        assertEquals(4L, flaky.getLong(3), "failed requests are left out of the latencies");
        List<Row> load = spark.sql("SELECT request_rate, achieved_requests_per_s, goodput_requests_per_s, requests,"
            + " error_rate FROM load_sweep ORDER BY request_rate").collectAsList();
        assertEquals(2, load.size());
        for (Row l : load) {
          assertEquals(10L, l.getLong(3));
          assertEquals(0.0, l.getDouble(4));
          assertTrue(l.getDouble(1) > 0 && l.getDouble(1) < l.getDouble(0) * 1.5, "achieved near or below offered: " + l);
          assertEquals(l.getDouble(1), l.getDouble(2), 1e-9, "every request met the generous SLOs: " + l);
        }
      } finally {
        spark.stop();
      }
    }
  }
}
