package dev.llmsweep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The JVM holds the compiler directives {@link JitScope} adds: llm-sweep's code, DJL and the vector
 * API stay on C2, everything else (Spark's planner first) is left to C1. If they were lost, every
 * sweep's JVM would again spend most of its compiler time on code it does not measure.
 */
class JitScopeTest {
  @Test
  void theEngineKeepsC2AndTheRestIsLeftToC1() throws Exception {
    JitScope.apply();
    JitScope.apply(); // once per JVM: a second call adds nothing
    String printed =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesPrint",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    // the JVM lists its directives in the order they are matched, each with its c2 settings
    List<String> blocks = Arrays.stream(printed.split("Directive:")).skip(1).toList();
    assertEquals(3, blocks.size(), "ours, once, and the JVM's default:\n" + printed);
    String engine = blocks.get(0);
    String rest = blocks.get(1);
    for (String kept : List.of("dev/llmsweep/*.*", "ai/djl/*.*", "jdk/incubator/vector/*.*")) {
      assertTrue(engine.contains(kept), kept + " not kept on C2:\n" + printed);
    }
    assertTrue(c2(engine).contains("Enable:true Exclude:false"), printed);
    assertTrue(rest.strip().startsWith("matching: *.*"), printed);
    assertTrue(c2(rest).contains("Enable:true Exclude:true"), "the rest left to C1:\n" + printed);
    assertTrue(blocks.get(blocks.size() - 1).startsWith(" (default)"), printed);
  }

  private static String c2(String block) {
    return block.substring(block.indexOf("c2 directives:"));
  }
}
