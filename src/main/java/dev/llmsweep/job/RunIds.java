package dev.llmsweep.job;

import dev.llmsweep.errors.BadInputException;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * What a run id may be (either side; no Hadoop or Spark here, so job files are checked with it
 * before Spark starts): a directory name of letters, digits, '.', '_' and '-', at most 100, not
 * starting with '.' or '-'. Fresh ids are the local start time and four random hex digits, so they
 * sort by start.
 */
public final class RunIds {
  private static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

  /** The rule, for messages. */
  public static final String ACCEPTED =
      "letters, digits, '.', '_' or '-' (at most 100, not starting with '.' or '-')";

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private RunIds() {}

  public static boolean isValid(String id) {
    return id != null && id.matches(PATTERN);
  }

  /** Returns {@code id}, or fails naming the option it came from and what is accepted. */
  public static String check(String id, String option) {
    if (!isValid(id)) {
      throw new BadInputException(option + " '" + id + "' is not accepted: use " + ACCEPTED);
    }
    return id;
  }

  /** A fresh run id. */
  public static String fresh() {
    byte[] r = new byte[2];
    new SecureRandom().nextBytes(r);
    return LocalDateTime.now().format(ID_TIME) + "-" + HexFormat.of().formatHex(r);
  }
}
