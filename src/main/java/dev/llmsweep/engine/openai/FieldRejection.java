package dev.llmsweep.engine.openai;

import java.net.URI;
import java.util.Locale;

/**
 * The error of a request the server answered with an HTTP error status: the status, the URL and the
 * body's first bytes; and when a 400 names one of the request fields llm-sweep chose to send, which
 * field and the job key that leaves it out, in one line (a server that rejects fields it does not
 * know, as OpenAI's own API rejects vLLM's {@code ignore_eos}).
 */
final class FieldRejection {
  private FieldRejection() {}

  static String describe(int status, URI uri, String body) {
    String base = "HTTP " + status + " from POST " + uri + ": " + StreamedRequest.abbreviate(body);
    if (status != 400 && status != 422) {
      return base;
    }
    String lower = body.toLowerCase(Locale.ROOT);
    for (String field : Endpoint.OPTIONAL_FIELDS) {
      if (lower.contains(field)) {
        return "the server rejects the request field '"
            + field
            + "' ("
            + base
            + "); leave it out of the job's send"
            + " list (send = [...] without "
            + field
            + ")"
            + (field.equals("ignore_eos") || field.equals("min_tokens")
                ? " or set ignore_eos = false"
                : "");
      }
    }
    if (lower.contains("extra")
        || lower.contains("unknown")
        || lower.contains("unrecognized")
        || lower.contains("not permitted")) {
      return base + " (if it names a field of extra_body, remove it there)";
    }
    return base;
  }
}
