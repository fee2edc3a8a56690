package dev.llmsweep.engine.openai;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The one thread that reads every plain-HTTP connection of an {@link Http1Client}: it waits for any
 * of them to have bytes, reads each ready one and stamps the read when it returns, all of a round's
 * reads first, and only then hands each its bytes to parse. Why one thread and not one per stream
 * (issue 23): at batch 32 to 128 every step of the server woke 32 to 128 reader threads at once on
 * two cores, and the last to be scheduled stamped its chunk late (over 2 ms for 1-5% of chunks
 * under load, bursts up to 60-230 ms); here a step's chunks are stamped by one thread within
 * microseconds of each other, as an asyncio client does, and parsing waits for the stamps.
 */
final class ReadLoop implements AutoCloseable {
  /** A connection as the loop sees it. */
  interface Readable {
    /** Reads what is there now and stamps it; never blocks, never throws. */
    void read();

    /** Parses what {@link #read} got (after every read of the round). */
    void deliver();

    /** The loop is closing. */
    void close();
  }

  private final Selector selector;
  private final Thread thread;
  private volatile boolean closed;

  ReadLoop() throws IOException {
    selector = Selector.open();
    thread = new Thread(this::run, "llm-sweep-http-selector");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts reading {@code channel} (non-blocking) for {@code conn}. */
  void register(SocketChannel channel, Readable conn) throws IOException {
    try {
      channel.register(selector, SelectionKey.OP_READ, conn);
    } catch (ClosedSelectorException e) {
      throw new IOException("the HTTP client is closed", e);
    }
    selector.wakeup(); // a select in progress does not see a new key until it returns
  }

  private void run() {
    List<Readable> ready = new ArrayList<>();
    try {
      while (!closed) {
        selector.select();
        for (SelectionKey k : selector.selectedKeys()) {
          Readable r = (Readable) k.attachment();
          r.read();
          ready.add(r);
        }
        selector.selectedKeys().clear();
        for (Readable r : ready) {
          r.deliver();
        }
        ready.clear();
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
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
  }
}
