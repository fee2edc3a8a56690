package dev.llmsweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The boundaries DESIGN.md and STYLE.md promise, by an import scan: the engine and the model
 * never import Spark (they run and are benchmarked alone); Spark code never touches an NDArray;
 * the job specification does not depend on Spark either (plans are made without it).
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/dev/llmsweep");

  @Test
  void engineAndModelAndSpecAreFreeOfSpark() throws IOException {
    assertEquals(List.of(), offenders(List.of("engine", "model", "weights", "spec", "metrics"), "import org.apache.spark"));
  }

  @Test
  void sparkAndStoreNeverTouchNdArrays() throws IOException {
    assertEquals(List.of(), offenders(List.of("spark", "store", "spec", "cli"), "import ai.djl.ndarray"));
  }

  private static List<String> offenders(List<String> packages, String forbidden) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    for (String p : packages) {
      try (Stream<Path> files = Files.walk(MAIN.resolve(p))) {
        for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
          if (Files.readString(f).contains(forbidden)) {
            out.add(f.toString());
          }
        }
      }
    }
    return out;
  }
}
