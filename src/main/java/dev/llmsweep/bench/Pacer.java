package dev.llmsweep.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link StampingServer}'s one writing thread: every stream's chunks are written from here, in
 * the order they fall due, each stamped just before its write. Why one thread and not one per
 * connection: the server shares the benchmark's two cores with the client it measures, and at batch
 * 128 a thread per stream made 128 server threads wake together at every tick, queueing the
 * client's readers behind them (and a server thread descheduled between its stamp and its write
 * charged that delay to the client). One thread wakes once per tick, writes prebuilt bytes, and its
 * stamps sit next to the socket. A late wake-up moves the stamps, not the figure.
 */
final class Pacer implements AutoCloseable {
  /** One response being streamed: its frames (the last one ends the body), due on a schedule. */
  static final class Stream {
    private final OutputStream out;
    private final long received;
    private final long firstNanos;
    private final long gapNanos;
    private final byte[][] frames;
    private final long[] sent;
    private final CountDownLatch end = new CountDownLatch(1);
    private int next;

    /**
     * @param frames one per token, then the closing frame (written right after the last token)
     * @param sent where each token frame's send stamp is written
     */
    Stream(
        OutputStream out,
        long received,
        double firstMs,
        double gapMs,
        byte[][] frames,
        long[] sent) {
      this.out = out;
      this.received = received;
      this.firstNanos = (long) (firstMs * 1e6);
      this.gapNanos = (long) (gapMs * 1e6);
      this.frames = frames;
      this.sent = sent;
    }

    private long due() {
      int k = Math.min(next, sent.length - 1);
      return received + firstNanos + gapNanos * Math.max(0, k);
    }

    /** Waits until every frame is written (or the connection failed). */
    void awaitEnd() {
      try {
        end.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final ConcurrentLinkedQueue<Stream> incoming = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Stream> due =
      new PriorityQueue<>(Comparator.comparingLong(Stream::due));
  private final Thread thread = new Thread(this::loop, "stamping-server-pacer");
  private volatile boolean closed;

  Pacer() {
    thread.setDaemon(true);
    thread.start();
  }

  void add(Stream s) {
    incoming.add(s);
    LockSupport.unpark(thread);
  }

  private void loop() {
    while (!closed) {
      for (Stream s = incoming.poll(); s != null; s = incoming.poll()) {
        due.add(s);
      }
      Stream s = due.peek();
      if (s == null) {
        LockSupport.park(this);
        continue;
      }
      long wait = s.due() - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait);
        continue;
      }
      due.poll();
      try {
        if (s.next < s.sent.length) {
          s.sent[s.next] = System.nanoTime();
        }
        s.out.write(s.frames[s.next++]); // unbuffered: one write call, no flush
        if (s.next < s.frames.length) {
          due.add(s);
        } else {
          s.end.countDown();
        }
      } catch (IOException gone) {
        s.end.countDown(); // the client closed the connection
      }
    }
    due.forEach(s -> s.end.countDown());
    incoming.forEach(s -> s.end.countDown());
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}
