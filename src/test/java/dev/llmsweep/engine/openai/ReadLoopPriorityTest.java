package dev.llmsweep.engine.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The endpoint client's parser thread runs below its selector thread's priority (Linux), so a parse
 * never holds the reads whose stamps are the measurement behind a scheduler slice; both threads are
 * named so that {@code top -H} shows them.
 */
class ReadLoopPriorityTest {
  /** Nice value of each of this JVM's threads, by the name the kernel shows (15 characters). */
  private static Map<String, Integer> niceByName() throws IOException {
    Map<String, Integer> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String name = Files.readString(t.resolve("comm")).strip();
          String stat = Files.readString(t.resolve("stat"));
          // fields after the parenthesised name: state is field 3, nice field 19
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.put(name, Integer.parseInt(f[16]));
        } catch (IOException gone) {
          // the thread ended while listed
        }
      }
    }
    return out;
  }

  @Test
  void theParserYieldsToTheSelector() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
    try (ReadLoop loop = new ReadLoop()) {
      Map<String, Integer> nice = niceByName();
      for (int i = 0; i < 100 && nice.getOrDefault("llmsweep-parser", 0) == 0; i++) {
        Thread.sleep(50); // renice runs as the parser thread starts
        nice = niceByName();
      }
      assertEquals(
          nice.get("llmsweep-select") + ReadLoop.PARSER_NICE,
          nice.get("llmsweep-parser"),
          "" + nice);
    }
  }
}
