package dev.llmsweep.spark;

/** A point ran past its {@code point_timeout_s} (executor side); thrown between engine steps. */
final class PointTimeoutException extends RuntimeException {
  PointTimeoutException(String message) {
    super(message);
  }
}
