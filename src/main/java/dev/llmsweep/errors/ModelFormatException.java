package dev.llmsweep.errors;

import java.nio.file.Path;

/** A model directory that cannot be used, with the file (and tensor) at fault in the message. */
public class ModelFormatException extends BadInputException {
  private final Path file;

  public ModelFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
