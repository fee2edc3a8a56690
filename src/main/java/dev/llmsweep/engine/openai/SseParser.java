package dev.llmsweep.engine.openai;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events as the WHATWG spec defines them, fed with bytes as they come off the network:
 * lines end in LF, CRLF or CR (a CR at the end of one read and an LF at the start of the next are
 * one line end); a line starting with {@code :} is a comment; {@code data:} lines (one optional
 * space after the colon) are joined with LF; a blank line dispatches the event. An event split
 * across reads is dispatched with the arrival time of the read that completed it. Fields other than
 * {@code data} and {@code event} are ignored. Not thread-safe: one stream, one caller at a time.
 */
final class SseParser {
  /** Receives each complete event. */
  interface Listener {
    /**
     * @param event the {@code event:} field, or {@code message} when absent
     * @param data the joined {@code data:} lines
     * @param arrivalNanos {@code System.nanoTime()} when the bytes completing the event arrived
     */
    void onEvent(String event, String data, long arrivalNanos);
  }

  private final Listener listener;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private String event;
  private boolean hasData;
  private boolean lastWasCr;

  SseParser(Listener listener) {
    this.listener = listener;
  }

  /** Feeds the bytes of one network read, all of which arrived at {@code arrivalNanos}. */
  void feed(ByteBuffer bytes, long arrivalNanos) {
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine(arrivalNanos);
      } else {
        line.write(b);
      }
    }
  }

  private void endLine(long arrivalNanos) {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      if (hasData) {
        listener.onEvent(event == null ? "message" : event, data.toString(), arrivalNanos);
      }
      data.setLength(0);
      hasData = false;
      event = null;
      return;
    }
    if (text.charAt(0) == ':') {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (hasData) {
        data.append('\n');
      }
      data.append(value);
      hasData = true;
    } else if (field.equals("event")) {
      event = value;
    }
  }

  /** True when bytes of an unfinished line or event are held (the stream ended mid-event). */
  boolean pending() {
    return line.size() > 0 || hasData;
  }
}
