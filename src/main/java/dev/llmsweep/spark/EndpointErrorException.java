package dev.llmsweep.spark;

/**
 * An endpoint point's requests failed beyond what the point tolerates (executor side): every
 * request of a call, or more of its measured requests than {@code max_error_rate}. The message
 * names the URL, the counts and the first error; the point is recorded as failed with reason {@code
 * endpoint_error}.
 */
final class EndpointErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EndpointErrorException(String message) {
    super(message);
  }
}
