package dev.llmsweep.engine.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The endpoint engine's HTTP/1.1 client: blocking sockets, one reader thread per request in flight,
 * keep-alive connections reused between calls. Why not the JDK's HttpClient: there one selector
 * thread reads every connection and hands the bytes on through its schedulers, so when it is
 * descheduled or busy every stream's chunks wait together (issue 23: bursts of late chunks hitting
 * 8 to 32 streams at once). Here each stream's thread returns from its own {@code read} and stamps
 * the bytes at once ({@code System.nanoTime()}), with no hand-off in between; a request is written
 * by the thread that stamps its start, on a connection opened before the call's clock started
 * ({@link #prepare}).
 */
final class Http1Client implements AutoCloseable {
  private final URI uri;
  private final String host;
  private final int port;
  private final boolean tls;
  private final int connectTimeoutMillis;
  private final Deque<Conn> idle = new ArrayDeque<>();
  private final ExecutorService readers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "llm-sweep-http-reader");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param uri where every request is posted
   */
  Http1Client(URI uri, double connectTimeoutSeconds) {
    this.uri = uri;
    this.host = uri.getHost();
    this.tls = "https".equalsIgnoreCase(uri.getScheme());
    this.port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    this.connectTimeoutMillis =
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeoutSeconds * 1000));
  }

  URI uri() {
    return uri;
  }

  /**
   * Opens connections until {@code n} are idle (before a call's clock starts); a failure is left to
   * the requests.
   */
  void prepare(int n) {
    while (idleCount() < n) {
      try {
        give(connect());
      } catch (IOException e) {
        return;
      }
    }
  }

  private synchronized int idleCount() {
    return idle.size();
  }

  private synchronized Conn takeIdle() {
    return idle.pollFirst();
  }

  private synchronized void give(Conn c) {
    idle.addFirst(c);
  }

  /** Drops every idle connection: the next requests connect afresh. */
  synchronized void reset() {
    idle.forEach(Conn::close);
    idle.clear();
  }

  private Conn connect() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      if (tls) {
        SSLSocket ssl =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(s, host, port, true);
        ssl.startHandshake();
        s = ssl;
      }
      return new Conn(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Posts {@code body} on this thread (an idle connection, else a new one) and reads the response
   * on a reader thread into {@code stream}; never throws: a failure ends the stream with its cause.
   */
  void send(byte[] body, String apiKey, StreamedRequest stream, double requestTimeoutSeconds) {
    byte[] request = request(body, apiKey);
    Conn c = takeIdle();
    boolean reused = c != null;
    try {
      if (c == null) {
        c = connect();
      }
      c.write(request);
    } catch (IOException e) {
      if (c != null) {
        c.close();
      }
      if (!reused) {
        stream.fail(StreamedRequest.describe(e, uri, requestTimeoutSeconds, 0));
        return;
      }
      c = null; // a stale keep-alive connection: the reader connects afresh
    }
    Conn first = c;
    readers.execute(() -> read(first, reused, request, stream, requestTimeoutSeconds));
  }

  private void read(
      Conn c, boolean reused, byte[] request, StreamedRequest stream, double timeoutS) {
    try {
      if (c == null) {
        c = connect();
        c.write(request);
      }
      Conn conn = c;
      stream.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {
              conn.close();
            }
          });
      int status;
      try {
        status = c.status();
      } catch (IOException stale) {
        if (!reused || c.received > 0) {
          throw stale;
        }
        // a reused connection the server had closed: once more on a fresh one
        c.close();
        read(null, false, request, stream, timeoutS);
        return;
      }
      Headers h = c.headers();
      if (status != 200) {
        String body = new String(c.bodyBytes(h, 4096), StandardCharsets.UTF_8);
        c.close();
        stream.fail(FieldRejection.describe(status, uri, body));
        return;
      }
      boolean complete = c.stream(h, stream);
      stream.onComplete();
      if (complete && !h.close && !stream.failed()) {
        give(c);
      } else {
        c.close();
      }
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        c.close();
      }
      if (c != null && c.received > 0) {
        stream.onError(e);
      } else {
        stream.fail(StreamedRequest.describe(e, uri, timeoutS, 0));
      }
    }
  }

  private byte[] request(byte[] body, String apiKey) {
    String path =
        (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + (uri.getPort() > 0 ? ":" + port : "")
            + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: "
            + body.length
            + (apiKey != null ? "\r\nAuthorization: Bearer " + apiKey : "")
            + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  @Override
  public void close() {
    reset();
    readers.shutdownNow();
  }

  /** What the response headers say about its body. */
  private record Headers(long length, boolean chunked, boolean close) {}

  /** One connection and its read buffer; each read's bytes are stamped when it returns. */
  private static final class Conn {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    // 8 KiB holds a read's worth of SSE chunks (a chunk is ~100 bytes); 64 KiB per connection made
    // 8 MiB of live buffers at batch 128 that every young collection copied, lengthening the pauses
    // that stop every stream at once
    private final byte[] buf = new byte[8 * 1024];
    private int pos;
    private int lim;
    private long stamp;

    /** Response bytes read since the last request was written. */
    private long received;

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    void write(byte[] request) throws IOException {
      received = 0;
      out.write(request);
      out.flush();
    }

    private boolean fill() throws IOException {
      int n = in.read(buf, 0, buf.length);
      stamp = System.nanoTime();
      if (n <= 0) {
        return false;
      }
      pos = 0;
      lim = n;
      received += n;
      return true;
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos == lim && !fill()) {
          throw new IOException("connection closed by the server");
        }
        byte b = buf[pos++];
        if (b == '\n') {
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        sb.append((char) (b & 0xff));
      }
    }

    int status() throws IOException {
      String line = line();
      String[] parts = line.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP response: " + StreamedRequest.abbreviate(line));
      }
      return Integer.parseInt(parts[1]);
    }

    Headers headers() throws IOException {
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
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
      return new Headers(length, chunked, close || (!chunked && length < 0));
    }

    /** Up to {@code max} bytes of a body that is not streamed (an error's). */
    byte[] bodyBytes(Headers h, int max) throws IOException {
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      try {
        body(
            h,
            (bytes, at) -> {
              int k = Math.min(bytes.remaining(), max - b.size());
              b.write(bytes.array(), bytes.arrayOffset() + bytes.position(), Math.max(0, k));
              return b.size() < max;
            });
      } catch (IOException e) {
        // what arrived is the message
      }
      return b.toByteArray();
    }

    /**
     * Feeds the body to the stream; true when it ended where its framing says (the connection is
     * reusable).
     */
    boolean stream(Headers h, StreamedRequest stream) throws IOException {
      // read to the body's end after [DONE] too: the connection is then reusable
      return body(
          h,
          (bytes, at) -> {
            stream.feed(bytes, at);
            return !stream.failed();
          });
    }

    interface Sink {
      /**
       * @return false to stop reading
       */
      boolean take(ByteBuffer bytes, long arrivalNanos);
    }

    private boolean body(Headers h, Sink sink) throws IOException {
      if (h.chunked()) {
        while (true) {
          String size = line();
          int semi = size.indexOf(';');
          long left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
          if (left == 0) {
            for (String t = line(); !t.isEmpty(); t = line()) {
              // trailers: none used
            }
            return true;
          }
          if (!copy(left, sink)) {
            return false;
          }
          line();
        }
      }
      if (h.length() >= 0) {
        return copy(h.length(), sink);
      }
      copy(Long.MAX_VALUE, sink); // until the server closes the connection
      return false;
    }

    private boolean copy(long left, Sink sink) throws IOException {
      while (left > 0) {
        if (pos == lim && !fill()) {
          if (left == Long.MAX_VALUE) {
            return false;
          }
          throw new IOException("connection closed by the server mid-response");
        }
        int k = (int) Math.min(left, lim - pos);
        boolean more = sink.take(ByteBuffer.wrap(buf, pos, k), stamp);
        pos += k;
        if (left != Long.MAX_VALUE) {
          left -= k;
        }
        if (!more) {
          return false;
        }
      }
      return true;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing: nothing to do
      }
    }
  }
}
