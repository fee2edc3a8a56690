package dev.llmsweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java runtime like a GPU node's without the system's font libraries: this JDK linked by jlink
 * with the modules Spark and the report need, less java.desktop's {@code libfontmanager.so} (on
 * such a node it cannot load: it needs HarfBuzz and FreeType). Made once under target/; its {@link
 * #main} says whether the JDK's fonts work in the JVM that runs it.
 */
public final class NoFontsRuntime {
  static final Path HOME = Path.of("target/jre-without-fonts").toAbsolutePath();

  /**
   * What the report command loads: Spark, Hadoop (its login: jdk.security.auth), Parquet, picocli,
   * ImageIO.
   */
  private static final String MODULES =
      "java.desktop,java.logging,java.sql,java.management,java.naming,"
          + "java.security.jgss,java.xml,java.scripting,java.net.http,jdk.unsupported,jdk.management,jdk.security.auth";

  private NoFontsRuntime() {}

  /** The runtime's {@code bin/java}, linked first where absent. */
  static synchronized Path java() throws Exception {
    Path java = HOME.resolve("bin/java");
    Path marker = HOME.resolve("modules.txt");
    if (Files.isExecutable(java)
        && Files.exists(marker)
        && Files.readString(marker).equals(MODULES)
        && !Files.exists(HOME.resolve("lib/libfontmanager.so"))) {
      return java;
    }
    Path jdk = Path.of(System.getProperty("java.home"));
    assertTrue(
        Files.isDirectory(jdk.resolve("jmods")),
        "this JDK has no jmods for jlink: " + jdk + " (Debian: apt-get install openjdk-17-jmods)");
    if (Files.exists(HOME)) {
      try (var all = Files.walk(HOME)) {
        all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    Process jlink =
        new ProcessBuilder(
                jdk.resolve("bin/jlink").toString(),
                "--add-modules",
                MODULES,
                "--no-header-files",
                "--no-man-pages",
                "--output",
                HOME.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(jlink.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(jlink.waitFor(300, TimeUnit.SECONDS), "jlink ended");
    assertEquals(0, jlink.exitValue(), log);
    Files.delete(HOME.resolve("lib/libfontmanager.so"));
    Files.writeString(marker, MODULES);
    return java;
  }

  /** Prints {@code jdk fonts: available}, or {@code jdk fonts: missing: <the error>}. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    try {
      Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
      g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 12)).stringWidth("0");
      System.out.println("jdk fonts: available");
    } catch (LinkageError | InternalError | RuntimeException e) {
      // UnsatisfiedLinkError (libfontmanager.so), then NoClassDefFoundError
      System.out.println("jdk fonts: missing: " + e);
    }
  }

  /** The flags this JVM was given for Spark (opens and the quick JIT tier), for a child JVM. */
  static List<String> sparkFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            a ->
                a.startsWith("--add-opens")
                    || a.startsWith("-Djdk.reflect.")
                    || a.startsWith("-Dio.netty.")
                    || a.startsWith("-XX:TieredStopAtLevel"))
        .toList();
  }

  /**
   * Runs the no-fonts runtime's java with {@code args} in the project directory; returns its
   * output.
   */
  static String child(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java().toString(), "-Djava.awt.headless=true"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the child ended");
    assertEquals(
        0,
        p.exitValue(),
        String.join(" ", args.subList(args.indexOf("-cp") + 2, args.size())) + ":\n" + output);
    return output;
  }
}
