package dev.llmsweep.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming completions server for the client benchmark, on 127.0.0.1 and a free port, in the
 * benchmark's JVM (one clock): a thread per connection reads requests, keep-alive, chunked SSE. For
 * each request it stamps ({@code System.nanoTime()}) when the request's last byte was read, builds
 * every frame of the response at once, and hands them to the one {@link Pacer} thread, which writes
 * {@code max_tokens} one-token chunks, the first {@code firstMs} after that and then one every
 * {@code gapMs}, stamping each just before its write: what the client's arrival stamps are set
 * against. Requests are told apart by their {@code seed}. Parked, never spinning, so it takes
 * little CPU from the client it measures.
 */
public final class StampingServer implements AutoCloseable {
  private static final Pattern SEED = Pattern.compile("\"seed\"\\s*:\\s*(\\d+)");
  private static final Pattern MAX_TOKENS = Pattern.compile("\"max_tokens\"\\s*:\\s*(\\d+)");

  /** One request as the server saw it. */
  public record Stamps(long receivedNanos, long[] sentNanos) {}

  private final ServerSocket socket;
  private final double firstMs;
  private final double gapMs;
  private final Map<Long, Stamps> bySeed = new ConcurrentHashMap<>();
  private final List<Socket> open = new ArrayList<>();
  private final Pacer pacer = new Pacer();

  public StampingServer(double firstMs, double gapMs) throws IOException {
    this.firstMs = firstMs;
    this.gapMs = gapMs;
    this.socket = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "stamping-server-accept");
    accept.setDaemon(true);
    accept.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
  }

  /** The stamps of the request sent with {@code seed}, or null. */
  public Stamps stamps(long seed) {
    return bySeed.get(seed);
  }

  public void clear() {
    bySeed.clear();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        s.setTcpNoDelay(true);
        synchronized (open) {
          open.add(s);
        }
        Thread t = new Thread(() -> serve(s), "stamping-server-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        int length = -1;
        String line;
        boolean any = false;
        while (!(line = readLine(in)).isEmpty()) {
          any = true;
          if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
            length = Integer.parseInt(line.substring(15).strip());
          }
        }
        if (!any || length < 0) {
          return;
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        long received = System.nanoTime();
        respond(out, body, received);
      }
    } catch (IOException | RuntimeException gone) {
      // the client closed the connection
    }
  }

  private void respond(OutputStream out, String body, long received) throws IOException {
    Matcher seed = SEED.matcher(body);
    Matcher max = MAX_TOKENS.matcher(body);
    long key = seed.find() ? Long.parseLong(seed.group(1)) : -1;
    int tokens = max.find() ? Integer.parseInt(max.group(1)) : 16;
    long[] sent = new long[tokens];
    bySeed.put(key, new Stamps(received, sent));
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    // every frame is built here, before the clock matters: the pacer only stamps and writes
    byte[][] frames = new byte[tokens + 1][];
    for (int k = 0; k < tokens; k++) {
      frames[k] =
          frame(
              "data: {\"choices\":[{\"index\":0,\"text\":\" t"
                  + k
                  + "\",\"finish_reason\":null}]}\n\n");
    }
    byte[] last =
        frame(
            "data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}],\"usage\":"
                + "{\"prompt_tokens\":8,\"completion_tokens\":"
                + tokens
                + "}}\n\ndata: [DONE]\n\n");
    byte[] end = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    frames[tokens] = new byte[last.length + end.length];
    System.arraycopy(last, 0, frames[tokens], 0, last.length);
    System.arraycopy(end, 0, frames[tokens], last.length, end.length);
    Pacer.Stream stream = new Pacer.Stream(out, received, firstMs, gapMs, frames, sent);
    pacer.add(stream);
    stream.awaitEnd(); // the connection's next request comes after this response, as in HTTP/1.1
  }

  private byte[] frame(String event) {
    byte[] data = event.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream b = new ByteArrayOutputStream(data.length + 16);
    b.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(data);
    b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return b.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        return "";
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    pacer.close();
    socket.close();
    synchronized (open) {
      for (Socket s : open) {
        s.close();
      }
    }
  }
}
