package dev.llmsweep.engine.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 response read as its bytes are pushed in (by {@link Http1Client}'s parser thread, or
 * a TLS connection's reader thread), each read with the stamp taken when it returned: the status
 * line, the headers, then a chunked, sized or close-delimited body. A 200's body goes to the {@link
 * StreamedRequest} with each read's stamp; any other status reads up to 4 KiB of its body for the
 * error. Pushed, not pulled, so the client's few threads read every connection without waiting on
 * any. Synchronized: a failed write (on the sending thread) may end it while its reader runs.
 */
final class ResponseReader {
  /** What the reader tells its connection. */
  interface Outcome {
    /** The response ended; {@code reusable}: at its framing's end, and the server keeps it open. */
    void ended(boolean reusable);

    /** The connection failed before a byte of the response: the request goes once more, afresh. */
    void retry();
  }

  private enum State {
    STATUS,
    HEADERS,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILERS,
    SIZED,
    UNTIL_CLOSE,
    ENDED
  }

  private static final int ERROR_BODY_MAX = 4096;

  private final java.net.URI uri;
  private final StreamedRequest stream;
  private final double timeoutS;
  private final boolean reused;
  private final Outcome outcome;
  private final StringBuilder line = new StringBuilder();
  private State state = State.STATUS;
  private long received;
  private int status;
  private long length = -1;
  private boolean chunked;
  private boolean close;
  private long left;
  private ByteArrayOutputStream errorBody;

  /**
   * @param reused whether the connection served a response before (a failure before any byte of
   *     this one is then a keep-alive connection the server had closed: {@link Outcome#retry})
   */
  ResponseReader(
      java.net.URI uri, StreamedRequest stream, double timeoutS, boolean reused, Outcome outcome) {
    this.uri = uri;
    this.stream = stream;
    this.timeoutS = timeoutS;
    this.reused = reused;
    this.outcome = outcome;
  }

  synchronized boolean ended() {
    return state == State.ENDED;
  }

  /** Bytes of one read, returned at {@code stampNanos}. */
  synchronized void bytes(ByteBuffer b, long stampNanos) {
    if (state == State.ENDED) {
      return;
    }
    received += b.remaining();
    try {
      while (b.hasRemaining() && state != State.ENDED) {
        switch (state) {
          case CHUNK_DATA, SIZED, UNTIL_CLOSE -> body(b, stampNanos);
          default -> {
            String l = line(b);
            if (l != null) {
              line(l);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      failed(e);
    }
  }

  /** The server closed the connection. */
  synchronized void end() {
    switch (state) {
      case ENDED -> {}
      case UNTIL_CLOSE -> ended(false);
      case CHUNK_DATA, SIZED ->
          failed(new IOException("connection closed by the server mid-response"));
      default -> failed(new IOException("connection closed by the server"));
    }
  }

  /** A read failed (the connection was reset, or closed here by a timeout). */
  synchronized void failed(Exception e) {
    if (state == State.ENDED) {
      return;
    }
    if (errorBody != null) {
      ended(false); // what arrived of an error's body is the message
      return;
    }
    state = State.ENDED;
    // a request its timeout already ended (closing the connection) is not sent again
    if (reused && received == 0 && e instanceof IOException && !stream.result().isDone()) {
      outcome.retry();
      return;
    }
    outcome.ended(false);
    if (received > 0) {
      stream.onError(e);
    } else {
      stream.fail(StreamedRequest.describe(e, uri, timeoutS, 0));
    }
  }

  /** The next line's text without its CRLF, or null when the bytes end before it does. */
  private String line(ByteBuffer b) {
    while (b.hasRemaining()) {
      byte c = b.get();
      if (c == '\n') {
        int n = line.length();
        String l = n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
        line.setLength(0);
        return l;
      }
      line.append((char) (c & 0xff));
    }
    return null;
  }

  private void line(String l) throws IOException {
    switch (state) {
      case STATUS -> {
        String[] parts = l.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          throw new IOException("not an HTTP response: " + StreamedRequest.abbreviate(l));
        }
        status = Integer.parseInt(parts[1]);
        state = State.HEADERS;
      }
      case HEADERS -> {
        if (l.isEmpty()) {
          bodyStarts();
        } else {
          header(l);
        }
      }
      case CHUNK_SIZE -> {
        int semi = l.indexOf(';');
        left = Long.parseLong((semi < 0 ? l : l.substring(0, semi)).strip(), 16);
        state = left == 0 ? State.TRAILERS : State.CHUNK_DATA;
      }
      case CHUNK_END -> state = State.CHUNK_SIZE;
      case TRAILERS -> {
        if (l.isEmpty()) {
          ended(true); // trailers: none used
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void header(String h) {
    int colon = h.indexOf(':');
    String name = colon < 0 ? h : h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String value = colon < 0 ? "" : h.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
    switch (name) {
      case "content-length" -> length = Long.parseLong(value);
      case "transfer-encoding" -> chunked = value.contains("chunked");
      case "connection" -> close = value.contains("close");
      default -> {}
    }
  }

  private void bodyStarts() {
    close = close || (!chunked && length < 0);
    if (status != 200) {
      errorBody = new ByteArrayOutputStream();
    }
    if (chunked) {
      state = State.CHUNK_SIZE;
    } else if (length >= 0) {
      left = length;
      state = State.SIZED;
      if (left == 0) {
        ended(true);
      }
    } else {
      left = Long.MAX_VALUE;
      state = State.UNTIL_CLOSE;
    }
  }

  private void body(ByteBuffer b, long stampNanos) {
    int k = (int) Math.min(left, b.remaining());
    ByteBuffer piece = b.slice(b.position(), k);
    b.position(b.position() + k);
    if (state != State.UNTIL_CLOSE) {
      left -= k;
    }
    boolean more;
    if (errorBody != null) {
      int take = Math.min(k, ERROR_BODY_MAX - errorBody.size());
      errorBody.write(piece.array(), piece.arrayOffset() + piece.position(), Math.max(0, take));
      more = errorBody.size() < ERROR_BODY_MAX;
    } else {
      // read to the body's end after [DONE] too: the connection is then reusable
      stream.feed(piece, stampNanos);
      more = !stream.failed();
    }
    if (!more) {
      ended(false);
    } else if (left == 0) {
      if (state == State.CHUNK_DATA) {
        state = State.CHUNK_END;
      } else {
        ended(true);
      }
    }
  }

  private void ended(boolean complete) {
    state = State.ENDED;
    if (errorBody != null) {
      outcome.ended(false);
      stream.fail(
          FieldRejection.describe(
              status, uri, new String(errorBody.toByteArray(), StandardCharsets.UTF_8)));
      return;
    }
    stream.onComplete();
    outcome.ended(complete && !close && !stream.failed());
  }
}
