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

/**
 * Reads every plain-HTTP connection of an {@link Http1Client} with two threads: a selector thread
 * that waits for any connection to have bytes, reads each ready one and stamps the read when it
 * returns, and does nothing else; and a parser thread that takes the reads in order and parses
 * them. Why (issue 23): with a thread per stream, every server step woke 32 to 128 reader threads
 * at once on two cores, and the last to be scheduled stamped its chunk late (over 2 ms for 1 to 16%
 * of chunks under load); with one thread that also parsed, a round of 35 to 128 ready streams took
 * milliseconds to parse (26 us a chunk, measured) before the next reads were stamped. Here a step's
 * chunks are stamped within microseconds of each other, as an asyncio client's are, and parsing is
 * off the stamping path.
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

  /** How much lower the parser thread's priority is than the selector's (nice increments). */
  static final int PARSER_NICE = 10;

  private record Read(Readable conn, byte[] bytes, IOException error, long stampNanos) {}

  private final Selector selector;
  private final Thread selecting;
  private final Thread parsing;
  private final ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
  // what one read takes in; its bytes are copied out for the parser (a read is a few SSE chunks)
  private final ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
  private volatile boolean closed;

  ReadLoop() throws IOException {
    selector = Selector.open();
    selecting = new Thread(this::select, "llmsweep-select");
    parsing = new Thread(this::parse, "llmsweep-parser");
    selecting.setDaemon(true);
    parsing.setDaemon(true);
    parsing.start();
    selecting.start();
  }

  /** Starts reading {@code conn}'s channel. */
  void register(Readable conn) throws IOException {
    try {
      conn.channel().register(selector, SelectionKey.OP_READ, conn);
    } catch (ClosedSelectorException e) {
      throw new IOException("the HTTP client is closed", e);
    }
    selector.wakeup(); // a select in progress does not see a new key until it returns
  }

  private void select() {
    try {
      while (!closed) {
        selector.select();
        for (SelectionKey k : selector.selectedKeys()) {
          read(k);
        }
        selector.selectedKeys().clear();
        LockSupport.unpark(parsing); // once a round: the parser takes every read of it
      }
    } catch (IOException | ClosedSelectorException e) {
      // the selector failed or was closed: the connections below end with it
    } finally {
      try {
        for (SelectionKey k : selector.keys()) {
          ((Readable) k.attachment()).close();
        }
        selector.close();
      } catch (IOException | ClosedSelectorException ignored) {
        // closing: nothing to do
      }
      closed = true;
      LockSupport.unpark(parsing);
    }
  }

  private void read(SelectionKey k) {
    Readable conn = (Readable) k.attachment();
    scratch.clear();
    int n;
    IOException error = null;
    try {
      n = conn.channel().read(scratch);
    } catch (IOException e) {
      n = -1;
      error = e;
    }
    long stamp = System.nanoTime();
    if (n < 0) {
      k.cancel(); // the end stays readable: one report of it, the parser closes the connection
      reads.add(new Read(conn, null, error, stamp));
    } else if (n > 0) {
      reads.add(new Read(conn, Arrays.copyOf(scratch.array(), n), null, stamp));
    }
  }

  private void parse() {
    // on two cores the parser and the selector often want the same core while a step's chunks
    // arrive; the scheduler's slice (3-4 ms) then held the selector's reads, and their stamps,
    // behind a parse. The parser's lag costs nothing measured (every read carries its stamp), so it
    // yields: the selector wakes onto a core at once
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
    selector.wakeup();
  }
}
