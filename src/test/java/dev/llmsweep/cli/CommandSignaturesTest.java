package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code submit generate} runs without Spark on the classpath, yet picocli reflects over every
 * subcommand's methods and fields: a Spark type in any of their signatures would make every command
 * fail with NoClassDefFoundError there.
 */
class CommandSignaturesTest {

  @Test
  void noCommandClassMentionsSparkInASignature() {
    List<String> offenders = new ArrayList<>();
    for (CommandLine sub : new CommandLine(new Main()).getSubcommands().values()) {
      Class<?> c = sub.getCommand().getClass();
      for (Method m : c.getDeclaredMethods()) {
        List<Class<?>> types = new ArrayList<>(List.of(m.getParameterTypes()));
        types.add(m.getReturnType());
        types.stream()
            .filter(CommandSignaturesTest::isSpark)
            .forEach(t -> offenders.add(c.getSimpleName() + "." + m.getName()));
      }
      for (Field f : c.getDeclaredFields()) {
        if (isSpark(f.getType())) {
          offenders.add(c.getSimpleName() + "." + f.getName());
        }
      }
    }
    assertTrue(offenders.isEmpty(), offenders.toString());
  }

  private static boolean isSpark(Class<?> t) {
    return t.getName().startsWith("org.apache.spark")
        || t.getName().startsWith("org.apache.hadoop");
  }
}
