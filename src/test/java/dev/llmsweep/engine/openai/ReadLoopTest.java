package dev.llmsweep.engine.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The endpoint client's reading (issue 23): each connection's bytes reach the parser whole and in
 * order though two selector threads read them, a selector thread that cannot run stalls no other
 * connection, the parser thread runs below the selectors' priority (Linux), and the threads are
 * named so that {@code top -H} shows them.
 */
class ReadLoopTest {
  /** A connection that keeps what the parser thread is handed, and when. */
  private static class Kept implements ReadLoop.Readable {
    final SocketChannel channel;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CountDownLatch firstBytes = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);

    Kept(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public SocketChannel channel() {
      return channel;
    }

    @Override
    public void deliver(ByteBuffer b, IOException error, long stampNanos) {
      if (b == null) {
        ended.countDown();
        return;
      }
      synchronized (bytes) {
        bytes.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
      }
      firstBytes.countDown();
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  /** {@code n} connected pairs on 127.0.0.1: [i][0] the client's end, [i][1] the server's. */
  private static SocketChannel[][] pairs(int n) throws IOException {
    SocketChannel[][] out = new SocketChannel[n][2];
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      for (int i = 0; i < n; i++) {
        out[i][0] = SocketChannel.open(server.getLocalAddress());
        out[i][1] = server.accept();
        out[i][0].configureBlocking(false);
      }
    }
    return out;
  }

  private static void write(SocketChannel c, String s) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  @Test
  void everyConnectionsBytesArriveWholeAndInOrder() throws Exception {
    SocketChannel[][] p = pairs(32);
    List<Kept> kept = new ArrayList<>();
    StringBuilder[] sent = new StringBuilder[p.length];
    try (ReadLoop loop = new ReadLoop(2)) {
      for (SocketChannel[] pair : p) {
        Kept k = new Kept(pair[0]);
        kept.add(k);
        loop.register(k);
      }
      for (int i = 0; i < p.length; i++) {
        sent[i] = new StringBuilder();
      }
      // small writes in turn on every connection, as a server's steps are: both selector threads
      // wake for each, and which one reads a connection changes from read to read
      for (int step = 0; step < 1500; step++) {
        for (int i = 0; i < p.length; i++) {
          String chunk = "data: {\"conn\":" + i + ",\"step\":" + step + "}\n\n";
          write(p[i][1], chunk);
          sent[i].append(chunk);
        }
      }
      for (SocketChannel[] pair : p) {
        pair[1].close();
      }
      for (int i = 0; i < p.length; i++) {
        assertTrue(kept.get(i).ended.await(30, TimeUnit.SECONDS), "connection " + i + " ended");
        synchronized (kept.get(i).bytes) {
          assertArrayEquals(
              sent[i].toString().getBytes(StandardCharsets.US_ASCII),
              kept.get(i).bytes.toByteArray(),
              "connection " + i + "'s bytes, in the order sent");
        }
      }
    }
  }

  @Test
  void aSelectorThreadThatCannotRunStallsNoOtherConnection() throws Exception {
    SocketChannel[][] p = pairs(2);
    CountDownLatch stalled = new CountDownLatch(1);
    Kept other = new Kept(p[1][0]);
    // the first selector thread to read this connection stops inside the read, holding it, until
    // the other connection's bytes have reached the parser (or 60 s): as a thread preempted for
    // milliseconds by another process, or queued behind a compiler thread, would
    Kept stalling =
        new Kept(p[0][0]) {
          private final AtomicBoolean first = new AtomicBoolean(true);

          @Override
          public SocketChannel channel() {
            if (Thread.currentThread().getName().startsWith("llmsweep-read-")
                && first.getAndSet(false)) {
              stalled.countDown();
              try {
                other.firstBytes.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return channel;
          }
        };
    try (ReadLoop loop = new ReadLoop(2)) {
      loop.register(stalling);
      loop.register(other);
      write(p[0][1], "data: first\n\n");
      assertTrue(stalled.await(20, TimeUnit.SECONDS), "a selector thread reads the first bytes");
      write(p[1][1], "data: other\n\n");
      assertTrue(
          other.firstBytes.await(20, TimeUnit.SECONDS),
          "the other connection's bytes arrive while the first thread is stalled");
      assertTrue(stalling.firstBytes.await(20, TimeUnit.SECONDS), "the stalled read completes");
    } finally {
      for (SocketChannel[] pair : p) {
        pair[1].close();
      }
    }
  }

  /** Nice value of each of this JVM's threads, by the name the kernel shows (15 characters). */
  private static Map<String, Integer> niceByName() throws IOException {
    Map<String, Integer> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String name = Files.readString(t.resolve("comm")).strip();
          String stat = Files.readString(t.resolve("stat"));
          // fields after the parenthesised name: state is field 3, nice field 19
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.put(name, Integer.parseInt(f[16]));
        } catch (IOException gone) {
          // the thread ended while listed
        }
      }
    }
    return out;
  }

  @Test
  void theParserYieldsToTheSelectors() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
    try (ReadLoop loop = new ReadLoop()) {
      Map<String, Integer> nice = niceByName();
      for (int i = 0; i < 100 && nice.getOrDefault("llmsweep-parser", 0) == 0; i++) {
        Thread.sleep(50); // renice runs as the parser thread starts
        nice = niceByName();
      }
      for (int i = 0; i < ReadLoop.READERS; i++) {
        assertEquals(
            nice.get("llmsweep-read-" + i) + ReadLoop.PARSER_NICE,
            nice.get("llmsweep-parser"),
            "selector thread " + i + ": " + nice);
      }
    }
  }
}
