package dev.llmsweep.engine.openai;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads every plain-HTTP connection of an {@link Http1Client} with {@link #READERS} selector
 * threads and one parser thread. Every selector thread waits for any connection to have bytes,
 * reads each ready one it finds free and stamps the read when it returns, and does nothing else;
 * the parser thread takes the reads in order and parses them. Why (issue 23): with a thread per
 * stream, every server step woke 32 to 128 reader threads at once on two cores, and the last to be
 * scheduled stamped its chunk late (over 2 ms for 1 to 16% of chunks under load); with one thread
 * that also parsed, a round of 35 to 128 ready streams took milliseconds to parse (26 us a chunk,
 * measured) before the next reads were stamped. Here a step's chunks are stamped within
 * microseconds of each other, as an asyncio client's are, and parsing is off the stamping path.
 *
 * <p>Why two selector threads, each watching every connection: traced with {@code perf sched} on 2
 * cores, the late chunks left with one were bursts in which that one thread could not run for 2 to
 * 4 ms while bytes waited: preempted by a process of higher priority (there, the machine's agent at
 * nice -10) or queued behind a JIT compiler thread, while the other core idled: the scheduler does
 * not move a waiting thread to an idle core at once. The second thread, woken by the same bytes, is
 * on the other core and reads them. A connection is read by one thread at a time, which hands on
 * its read before letting go of it, so each connection's reads reach the parser in order.
 */
final class ReadLoop implements AutoCloseable {
  /** A connection as the loop sees it. */
  interface Readable {
    /** The connection's channel (non-blocking). */
    SocketChannel channel();

    /**
     * One read, on the parser thread, in the order read: {@code bytes} at {@code stampNanos}, or
     * the end of the stream ({@code bytes} and {@code error} null), or the read's error.
     */
    void deliver(ByteBuffer bytes, IOException error, long stampNanos);

    /** The loop is closing. */
    void close();
  }

  /** How much lower the parser thread's priority is than the selectors' (nice increments). */
  static final int PARSER_NICE = 10;

  /** Selector threads: two (one on a single core), so that one stalled thread stalls nothing. */
  static final int READERS = Math.min(2, Runtime.getRuntime().availableProcessors());

  private record Read(Readable conn, byte[] bytes, IOException error, long stampNanos) {}

  /** A registered connection: read by one selector thread at a time, its end reported once. */
  private static final class Watched {
    final Readable conn;
    final ReentrantLock reading = new ReentrantLock();
    boolean ended; // guarded by reading

    Watched(Readable conn) {
      this.conn = conn;
    }
  }

  private final Selector[] selectors;
  private final Thread[] selecting;
  private final Thread parsing;
  private final ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  ReadLoop() throws IOException {
    this(READERS);
  }

  /** A loop with {@code readers} selector threads. */
  ReadLoop(int readers) throws IOException {
    selectors = new Selector[Math.max(1, readers)];
    selecting = new Thread[selectors.length];
    try {
      for (int i = 0; i < selectors.length; i++) {
        selectors[i] = Selector.open();
      }
    } catch (IOException e) {
      for (Selector s : selectors) {
        if (s != null) {
          s.close();
        }
      }
      throw e;
    }
    parsing = new Thread(this::parse, "llmsweep-parser");
    parsing.setDaemon(true);
    for (int i = 0; i < selectors.length; i++) {
      Selector s = selectors[i];
      selecting[i] = new Thread(() -> select(s), "llmsweep-read-" + i);
      selecting[i].setDaemon(true);
    }
    parsing.start();
    for (Thread t : selecting) {
      t.start();
    }
  }

  /** Starts reading {@code conn}'s channel. */
  void register(Readable conn) throws IOException {
    Watched w = new Watched(conn);
    try {
      for (Selector s : selectors) {
        conn.channel().register(s, SelectionKey.OP_READ, w);
        s.wakeup(); // a select in progress does not see a new key until it returns
      }
    } catch (ClosedSelectorException e) {
      throw new IOException("the HTTP client is closed", e);
    }
  }

  private void select(Selector selector) {
    // what one read takes in; its bytes are copied out for the parser (a read is a few SSE chunks)
    ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
    try {
      while (!closed) {
        selector.select();
        boolean taken = false;
        for (SelectionKey k : selector.selectedKeys()) {
          Watched w = (Watched) k.attachment();
          if (w.reading.tryLock()) {
            try {
              read(w, scratch);
            } finally {
              w.reading.unlock();
            }
          } else {
            taken = true; // the other thread is reading it
          }
        }
        selector.selectedKeys().clear();
        LockSupport.unpark(parsing); // once a round: the parser takes every read of it
        if (taken) {
          Thread.yield(); // its bytes may still be there when the other thread lets go of it
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      // a selector failed or was closed: the connections end with the loop
    } finally {
      close(); // the other selector threads end too
      try {
        for (SelectionKey k : selector.keys()) {
          ((Watched) k.attachment()).conn.close(); // by both threads: a second close does nothing
        }
        selector.close();
      } catch (IOException | ClosedSelectorException ignored) {
        // closing: nothing to do
      }
      LockSupport.unpark(parsing);
    }
  }

  /** Reads {@code w}'s channel once, holding its lock; its end is reported once. */
  private void read(Watched w, ByteBuffer scratch) {
    if (w.ended) {
      return;
    }
    scratch.clear();
    int n;
    IOException error = null;
    try {
      n = w.conn.channel().read(scratch);
    } catch (IOException e) {
      n = -1;
      error = e;
    }
    long stamp = System.nanoTime();
    if (n < 0) {
      w.ended = true;
      for (Selector s : selectors) {
        SelectionKey k = w.conn.channel().keyFor(s);
        if (k != null) {
          k.cancel(); // the end stays readable: one report of it, the parser closes the connection
        }
      }
      reads.add(new Read(w.conn, null, error, stamp));
    } else if (n > 0) {
      reads.add(new Read(w.conn, Arrays.copyOf(scratch.array(), n), null, stamp));
    }
  }

  private void parse() {
    // on two cores the parser and a selector thread often want the same core while a step's
    // chunks arrive; the scheduler's slice (3-4 ms) then held the selector's reads, and their
    // stamps, behind a parse. The parser's lag costs nothing measured (every read carries its
    // stamp), so it yields: a selector thread wakes onto a core at once
    ThreadNice.lower(PARSER_NICE);
    while (!closed) {
      Read r = reads.poll();
      if (r == null) {
        LockSupport.park(this);
        continue;
      }
      r.conn()
          .deliver(
              r.bytes() == null ? null : ByteBuffer.wrap(r.bytes()), r.error(), r.stampNanos());
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Selector s : selectors) {
      s.wakeup();
    }
  }
}
