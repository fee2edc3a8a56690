package dev.llmsweep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Boundaries that keep the engine usable alone and the Spark code free of tensors: the engine
 * side never imports Spark (so `submit generate` runs without it), and the Spark side never
 * touches an NDArray.
 */
class ArchitectureTest {
  private static final Path SRC = Path.of("src/main/java/dev/llmsweep");

  private static List<String> violations(List<String> packages, String forbiddenPrefix) throws IOException {
    List<String> found = new ArrayList<>();
    for (String pkg : packages) {
      Path dir = SRC.resolve(pkg);
      if (!Files.exists(dir)) {
        throw new IllegalStateException("no such source path: " + dir);
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          for (String line : Files.readAllLines(f)) {
            if (line.startsWith("import " + forbiddenPrefix) || line.startsWith("import static " + forbiddenPrefix)) {
              found.add(f + ": " + line);
            }
          }
        }
      }
    }
    return found;
  }

  @Test
  void engineSideNeverImportsSpark() throws IOException {
    List<String> v = violations(List.of("engine", "model", "weights", "tokenizer", "metrics", "spec",
        "bench/EngineBenchmark.java", "bench/CopyBandwidth.java", "bench/Roofline.java", "bench/TimedThreads.java", "cli/GenerateCommand.java",
        "cli/BenchEngineCommand.java"), "org.apache.spark");
    assertTrue(v.isEmpty(), String.join("\n", v));
  }

  @Test
  void sparkSideNeverTouchesTensors() throws IOException {
    List<String> v = violations(List.of("spark", "store", "analysis", "report", "compare", "spec", "cli"), "ai.djl.ndarray");
    v.addAll(violations(List.of("spark", "store", "analysis", "report", "compare", "spec", "cli"), "ai.djl.pytorch"));
    assertTrue(v.isEmpty(), String.join("\n", v));
  }
}
