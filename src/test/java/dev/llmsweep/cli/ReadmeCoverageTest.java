package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every command line in the README's {@code bash} blocks has a smoke test: a test method of {@link
 * ReadmeCommandsTest} or {@link ReadmeIndependentCommandsTest} runs it, or a named test class
 * covers what it does where it cannot run in a test (a cluster, a server, the test run itself). A
 * new or changed README command fails here until it comes with its smoke test.
 */
class ReadmeCoverageTest {
  /**
   * README command lines run by a test method of {@link ReadmeCommandsTest} or {@link
   * ReadmeIndependentCommandsTest}: line to method.
   */
  private static final Map<String, String> RUN_HERE =
      Map.ofEntries(
          Map.entry(
              "./submit jobs/quickstart.conf",
              "quickstartCommitsEveryPointAndEndsAsTheReadmeShows"),
          Map.entry(
              "./submit jobs/quickstart.conf [--results ROOT] [--run-id ID]",
              "quickstartCommitsEveryPointAndEndsAsTheReadmeShows"),
          Map.entry(
              "./submit plan jobs/notebook.conf --conf-profile standalone-gpu",
              "planPrintsThePointsAndTheWork"),
          Map.entry("./submit sql --results results", "sqlListsEveryView"),
          Map.entry(
              "./submit sql \"SELECT batch_size, ttft_p50_ms, ttft_p99_ms, latency_p50_s, latency_p99_s,"
                  + " throughput_tokens_per_s FROM batch_sweep ORDER BY batch_size\"",
              "sqlRunsTheReadmeQuery"),
          Map.entry(
              "./submit recommend --budget 2.5 [--by p50|p99|both] [--run-id ID]",
              "recommendAnswersABudget"),
          Map.entry("./submit aggregate [--run-id ID]", "aggregateRewritesThePoints"),
          Map.entry(
              "./submit generate --prompt \"The future of AI is\" --max-tokens 32 --temperature 0.7 --top-p 0.9"
                  + " --seed 1",
              "generateATinyModelPrompt"),
          Map.entry(
              "./submit generate --model path/to/hf-model --input-ids \"1,2,3;1,5,9,4\" --max-tokens 20 --json",
              "generateJsonForABatchFromAModelDirectory"),
          Map.entry(
              "./submit generate --model synthetic:bench-110m --input-ids \"1,2,3\" --max-tokens 16 --ignore-eos",
              "generateASyntheticPresetToTheFullLength"),
          Map.entry(
              "./submit report [--results ROOT] [--run-id ID] [--out FILE] [--budget 2.5]",
              "reportWritesTheHtmlWhereAsked"),
          Map.entry(
              "./submit compare --run A --baseline B|previous [--results ROOT] [--threshold 0.10]",
              "compareJudgesARunAgainstThePreviousOne"),
          Map.entry("./submit bench-engine", "benchEngineOnThisCpu"),
          Map.entry(
              "./submit bench-engine --model synthetic:mistral-7b-v0.3 --device gpu:0 --batches 1,32,128",
              "benchEngineOnAGpu"),
          Map.entry("./submit bench-harness", "benchHarnessReportsTheEngineShare"),
          Map.entry("./submit bench-views --rows 10000000", "benchViewsBuildsEveryView"));

  /**
   * A README command that cannot run in a test: the test class covering what it does (if any), and
   * why.
   */
  private record Elsewhere(String testClass, String why) {}

  /** README command lines that cannot run inside the test JVM. */
  private static final Map<String, Elsewhere> ELSEWHERE =
      Map.of(
          "./run-tests",
          new Elsewhere(null, "it is the test run itself (.ci/run calls it)"),
          "SPARK_HOME=/opt/spark ./submit jobs/notebook.conf --conf-profile standalone-gpu --master spark://host:7077",
          new Elsewhere(
              "spark.ClusterSweepTest",
              "needs a standalone cluster with GPU workers and a Spark"
                  + " distribution; the sweep on a real multi-executor cluster is ClusterSweepTest, fake GPU addresses"
                  + " FakeGpuSweepTest, the profile SparkSettingsTest, the job file planPrintsThePointsAndTheWork"),
          "LLM_SWEEP_ENDPOINT=http://127.0.0.1:8000/v1 LLM_SWEEP_MODEL=my-model ./submit jobs/endpoint-quickstart.conf",
          new Elsewhere(
              "cli.EndpointQuickstartTest",
              "needs a running OpenAI-compatible server; EndpointQuickstartTest"
                  + " runs this job file against one it starts (its endpoint set as LLM_SWEEP_ENDPOINT does)"),
          "./submit recommend --rate 500 [--run-id ID]",
          new Elsewhere(
              "cli.EndpointQuickstartTest",
              "needs a run with open-loop sweeps, so a server:"
                  + " EndpointQuickstartTest runs recommend --rate 500 on the endpoint quickstart's run"),
          "tools/bench-start --results ROOT",
          new Elsewhere(
              "cli.ReadmeCommandsTest",
              "its figures are for a quiet machine, and it starts nine JVMs: the"
                  + " commands it times (a one-line sql, recommend --budget 2.5, the SQL shell) are"
                  + " ReadmeCommandsTest's, the shell through ./submit itself"),
          "./submit bench-client",
          new Elsewhere(
              "bench.ClientBenchmarkTest",
              "its figures are for a quiet machine; ClientBenchmarkTest runs the"
                  + " harness small and checks what it counts"),
          "spark-sql --hiveconf results=/data/results --hiveconf run=RUN_ID -i conf/views.sql",
          new Elsewhere(
              "analysis.ViewsTest",
              "spark-sql comes with a Spark distribution; ViewsTest loads"
                  + " conf/views.sql into a plain session exactly so (SET results, SET run, the file's statements)"));

  @Test
  void everyReadmeCommandIsRunHere() throws Exception {
    Set<String> readme = new TreeSet<>(Readme.commands());
    Set<String> covered = new TreeSet<>(RUN_HERE.keySet());
    covered.addAll(ELSEWHERE.keySet());
    Set<String> untested = new TreeSet<>(readme);
    untested.removeAll(covered);
    Set<String> stale = new TreeSet<>(covered);
    stale.removeAll(readme);
    assertTrue(
        untested.isEmpty(),
        "README commands without a smoke test (add one to ReadmeCommandsTest or"
            + " ReadmeIndependentCommandsTest, and a line to RUN_HERE): "
            + untested);
    assertTrue(stale.isEmpty(), "smoke tests of commands the README no longer shows: " + stale);
    for (String method : RUN_HERE.values()) {
      Method m = testMethod(method);
      assertTrue(m.isAnnotationPresent(Test.class), method + " is not a test");
    }
    for (Elsewhere e : ELSEWHERE.values()) {
      if (e.testClass() != null) {
        Class.forName("dev.llmsweep." + e.testClass()); // it still exists
      }
    }
  }

  /** The test method of that name in one of the two classes that run the README's commands. */
  private static Method testMethod(String name) throws NoSuchMethodException {
    for (Class<?> c : List.of(ReadmeCommandsTest.class, ReadmeIndependentCommandsTest.class)) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && m.getParameterCount() == 0) {
          return m;
        }
      }
    }
    throw new NoSuchMethodException(
        name + " in ReadmeCommandsTest or ReadmeIndependentCommandsTest (RUN_HERE names it)");
  }
}
