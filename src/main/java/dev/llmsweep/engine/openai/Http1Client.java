package dev.llmsweep.engine.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The endpoint engine's HTTP/1.1 client: keep-alive connections reused between calls, opened before
 * a call's clock starts ({@link #prepare}); a request is written by the thread that stamps its
 * start. Plain-HTTP responses are read by a {@link ReadLoop}: two selector threads (one on a single
 * core), each watching every connection, that stamp each read when it returns ({@code
 * System.nanoTime()}), and one parser thread that parses them ({@link ResponseReader}): a step's
 * chunks on every stream are stamped together, with no thread to wake per stream, no parsing before
 * a stamp, and no stream waiting on one thread that cannot run. TLS connections are read by a
 * thread each (a blocking {@link SSLSocket}), which stamps its reads the same way. Why not the
 * JDK's HttpClient: its selector thread hands the bytes on through its schedulers and body
 * subscribers before anything stamps them (issue 23: bursts of late chunks hitting 8 to 32 streams
 * at once).
 */
final class Http1Client implements AutoCloseable {
  private final URI uri;
  private final String host;
  private final int port;
  private final boolean tls;
  private final int connectTimeoutMillis;
  private final Deque<Conn> idle = new ArrayDeque<>();

  /** TLS connections' readers and fresh connections for retried requests. */
  private final ExecutorService helpers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "llm-sweep-http-reader");
            t.setDaemon(true);
            return t;
          });

  private ReadLoop loop;

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

  private synchronized void drop(Conn c) {
    idle.remove(c);
    c.close();
  }

  /** Drops every idle connection: the next requests connect afresh. */
  synchronized void reset() {
    idle.forEach(Conn::close);
    idle.clear();
  }

  private synchronized ReadLoop loop() throws IOException {
    if (loop == null) {
      loop = new ReadLoop();
    }
    return loop;
  }

  private Conn connect() throws IOException {
    if (tls) {
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
        SSLSocket ssl =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(s, host, port, true);
        ssl.startHandshake();
        return new Conn(null, ssl);
      } catch (IOException e) {
        s.close();
        throw e;
      }
    }
    SocketChannel ch = SocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.socket().connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      ch.configureBlocking(false);
      Conn c = new Conn(ch, null);
      loop().register(c);
      return c;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Posts {@code body} on this thread (an idle connection, else a new one) and reads the response
   * into {@code stream}; never throws: a failure ends the stream with its cause.
   */
  void send(byte[] body, String apiKey, StreamedRequest stream, double requestTimeoutSeconds) {
    byte[] request = request(body, apiKey);
    Conn c = takeIdle();
    if (c != null) {
      exchange(c, true, request, stream, requestTimeoutSeconds);
    } else {
      fresh(request, stream, requestTimeoutSeconds);
    }
  }

  private void fresh(byte[] request, StreamedRequest stream, double timeoutS) {
    Conn c;
    try {
      c = connect();
    } catch (IOException e) {
      stream.fail(StreamedRequest.describe(e, uri, timeoutS, 0));
      return;
    }
    exchange(c, false, request, stream, timeoutS);
  }

  private void exchange(
      Conn c, boolean reused, byte[] request, StreamedRequest stream, double timeoutS) {
    stream.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {
            c.close();
          }
        });
    ResponseReader r =
        new ResponseReader(
            uri,
            stream,
            timeoutS,
            reused,
            new ResponseReader.Outcome() {
              @Override
              public void ended(boolean reusable) {
                c.reader = null;
                if (reusable) {
                  give(c);
                } else {
                  c.close();
                }
              }

              @Override
              public void retry() {
                // a reused connection the server had closed: once more on a fresh one
                c.close();
                helpers.execute(() -> fresh(request, stream, timeoutS));
              }
            });
    c.reader = r;
    try {
      c.write(request);
    } catch (IOException e) {
      r.failed(e); // a stale keep-alive connection is retried, a fresh one fails the request
      return;
    }
    if (c.tlsSocket != null) {
      helpers.execute(() -> c.readTls(r));
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
    helpers.shutdownNow();
    synchronized (this) {
      if (loop != null) {
        loop.close();
      }
    }
  }

  /**
   * One connection: a non-blocking channel that the {@link ReadLoop} reads, or a TLS socket read by
   * a thread of its own; {@link #reader} is the response in progress, null while idle.
   */
  private final class Conn implements ReadLoop.Readable {
    private final SocketChannel channel;
    private final SSLSocket tlsSocket;
    private volatile ResponseReader reader;

    Conn(SocketChannel channel, SSLSocket tlsSocket) {
      this.channel = channel;
      this.tlsSocket = tlsSocket;
    }

    void write(byte[] request) throws IOException {
      if (tlsSocket != null) {
        OutputStream out = tlsSocket.getOutputStream();
        out.write(request);
        out.flush();
        return;
      }
      ByteBuffer b = ByteBuffer.wrap(request);
      while (b.hasRemaining()) {
        if (channel.write(b) == 0) {
          awaitWritable(); // a large body ahead of a server slow to read it
        }
      }
    }

    private void awaitWritable() throws IOException {
      try (Selector s = Selector.open()) {
        channel.register(s, SelectionKey.OP_WRITE);
        while (s.select(100) == 0) {
          if (!channel.isOpen()) {
            throw new ClosedChannelException();
          }
        }
      }
    }

    @Override
    public SocketChannel channel() {
      return channel;
    }

    @Override
    public void deliver(ByteBuffer bytes, IOException error, long stampNanos) {
      ResponseReader r = reader;
      if (r == null) {
        drop(this); // an idle connection the server closed (or wrote to): not reused
        return;
      }
      try {
        if (error != null) {
          r.failed(error);
        } else if (bytes == null) {
          r.end();
        } else {
          r.bytes(bytes, stampNanos);
        }
      } catch (RuntimeException e) {
        r.failed(e);
      }
    }

    /** Reads a TLS response on this thread until it ends. */
    void readTls(ResponseReader r) {
      // 8 KiB holds a read's worth of SSE chunks (a chunk is ~100 bytes)
      byte[] buf = new byte[8 * 1024];
      try {
        InputStream in = tlsSocket.getInputStream();
        while (!r.ended()) {
          int n = in.read(buf, 0, buf.length);
          long at = System.nanoTime();
          if (n < 0) {
            r.end();
          } else {
            r.bytes(ByteBuffer.wrap(buf, 0, n), at);
          }
        }
      } catch (IOException | RuntimeException e) {
        r.failed(e);
      }
    }

    @Override
    public void close() {
      try {
        if (channel != null) {
          channel.close();
        } else {
          tlsSocket.close();
        }
      } catch (IOException ignored) {
        // closing: nothing to do
      }
    }
  }
}
