package dev.llmsweep.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The parameters a sweep can vary, each with the values it accepts (driver side). */
public enum Axis {
  BATCH_SIZE(Kind.POSITIVE_INT),
  MAX_TOKENS(Kind.POSITIVE_INT),
  PROMPT_TOKENS(Kind.POSITIVE_INT),
  TEMPERATURE(Kind.NON_NEGATIVE),
  TOP_P(Kind.PROBABILITY),
  TOP_K(Kind.NON_NEGATIVE_INT),
  SEED(Kind.ANY_INT),
  /** Open-loop arrivals per second (engine = openai only); absent: a closed-loop batch. */
  REQUEST_RATE(Kind.POSITIVE);

  /** What values of an axis may be. */
  enum Kind {
    POSITIVE_INT("a positive integer"),
    NON_NEGATIVE_INT("an integer >= 0 (0 turns it off)"),
    ANY_INT("an integer"),
    NON_NEGATIVE("a number >= 0 (0 is greedy)"),
    PROBABILITY("a number in (0, 1]"),
    POSITIVE("a number > 0 (requests per second)");

    final String accepted;

    Kind(String accepted) {
      this.accepted = accepted;
    }

    boolean integral() {
      return this == POSITIVE_INT || this == NON_NEGATIVE_INT || this == ANY_INT;
    }

    boolean accepts(double v) {
      return switch (this) {
        case POSITIVE_INT -> v >= 1;
        case NON_NEGATIVE_INT, NON_NEGATIVE -> v >= 0;
        case ANY_INT -> true;
        case PROBABILITY -> v > 0 && v <= 1;
        case POSITIVE -> v > 0 && !Double.isInfinite(v);
      };
    }
  }

  final Kind kind;

  Axis(Kind kind) {
    this.kind = kind;
  }

  /** The name in job files and result columns, e.g. {@code batch_size}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Axis> byKey(String key) {
    return Arrays.stream(values()).filter(a -> a.key().equals(key)).findFirst();
  }

  static String keys() {
    return String.join(", ", Arrays.stream(values()).map(Axis::key).toList());
  }
}
