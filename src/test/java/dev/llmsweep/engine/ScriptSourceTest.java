package dev.llmsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.model.Decoder;
import dev.llmsweep.model.torchscript.ScriptDecoder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dllmsweep.torchscript.source=FILE}: the TorchScript step is compiled from FILE instead of
 * the bundled llama_step.py (how a variant of the step is measured on a GPU machine without a
 * rebuild), and a missing FILE is bad input naming the property.
 */
class ScriptSourceTest {
  private static final String PROPERTY = "llmsweep.torchscript.source";
  private static final float[] LOGITS = {0.5f, 3.0f, -2.0f, 1.0f};
  private static final Decoder.Sampling GREEDY = new Decoder.Sampling(0, 0, 1);

  @BeforeAll
  static void offline() {
    Offline.apply();
  }

  @AfterEach
  void clear() {
    System.clearProperty(PROPERTY);
  }

  @Test
  void theNamedFileIsTheStepThatRuns(@TempDir Path dir) throws Exception {
    assertArrayEquals(
        new long[] {1}, ScriptDecoder.sample(LOGITS, 4, GREEDY, new double[1]), "bundled: argmax");
    String bundled;
    try (InputStream in = ScriptDecoder.class.getResourceAsStream("llama_step.py")) {
      bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String greedy = "      return torch.argmax(logits, -1)";
    assertTrue(bundled.contains(greedy), "the bundled step's greedy choice");
    Path variant = dir.resolve("variant.py");
    Files.writeString(variant, bundled.replace(greedy, "      return torch.argmin(logits, -1)"));
    System.setProperty(PROPERTY, variant.toString());
    assertArrayEquals(
        new long[] {2},
        ScriptDecoder.sample(LOGITS, 4, GREEDY, new double[1]),
        "the variant's argmin");
  }

  @Test
  void aMissingFileIsBadInputNamingTheProperty(@TempDir Path dir) {
    String missing = dir.resolve("nope.py").toString();
    System.setProperty(PROPERTY, missing);
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> ScriptDecoder.sample(LOGITS, 4, GREEDY, new double[1]));
    assertTrue(
        e.getMessage().contains("-D" + PROPERTY + "=" + missing + ": no such file"),
        e.getMessage());
  }
}
