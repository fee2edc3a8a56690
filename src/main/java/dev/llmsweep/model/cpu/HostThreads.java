package dev.llmsweep.model.cpu;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The threads of the CPU kernels ({@link HostMatmul}, {@link HostAttention}): one per core, the
 * calling thread included. A kernel splits its work into parts and waits for all of them.
 *
 * <p>Why not an ExecutorService: a decode step makes about 60 kernel calls, and handing work to a
 * pool thread and waiting for its Future costs 20–45 µs each on this machine (the worker parks and
 * is woken through the kernel), 2–3 ms per step. Here the workers spin for {@value #SPIN_NANOS} ns
 * after each part before they park, so back-to-back calls hand over in well under a microsecond;
 * the caller spins while it waits. The spins are plain loops on a volatile read, without {@link
 * Thread#onSpinWait()}: its PAUSE instruction makes KVM guests exit to the hypervisor (pause-loop
 * exiting), which here turned a 15 ms decode step into 20 ms. One caller at a time: a second thread
 * calling while the workers are busy runs its parts itself, in turn.
 */
final class HostThreads {
  /**
   * One per core; {@code -Dllmsweep.cpu.threads=N} sets another count (fewer threads: a slower
   * engine on the same machine, as a regression check's known slowdown).
   */
  static final int COUNT =
      Math.max(
          1,
          Integer.getInteger("llmsweep.cpu.threads", Runtime.getRuntime().availableProcessors()));

  private static final long SPIN_NANOS = 200_000;
  private static final Worker[] WORKERS = new Worker[COUNT - 1];
  private static final ReentrantLock IN_USE = new ReentrantLock();

  static {
    for (int i = 0; i < WORKERS.length; i++) {
      WORKERS[i] = new Worker("llm-sweep-kernel-" + (i + 1));
      WORKERS[i].start();
    }
  }

  private HostThreads() {}

  /**
   * Runs {@code part.accept(0 .. parts - 1)}, part 0 on the calling thread, and returns when all
   * are done.
   */
  static void run(int parts, IntConsumer part) {
    if (parts <= 1 || !IN_USE.tryLock()) {
      for (int p = 0; p < parts; p++) {
        part.accept(p);
      }
      return;
    }
    try {
      int handed = Math.min(parts - 1, WORKERS.length);
      for (int w = 0; w < handed; w++) {
        WORKERS[w].hand(part, w + 1);
      }
      for (int p = handed + 1; p < parts; p++) {
        part.accept(p); // more parts than threads: the caller takes the rest
      }
      part.accept(0);
      Throwable failure = null;
      for (int w = 0; w < handed; w++) {
        Throwable t = WORKERS[w].await();
        failure = failure == null ? t : failure;
      }
      if (failure != null) {
        throw new IllegalStateException("CPU kernel failed", failure);
      }
    } finally {
      IN_USE.unlock();
    }
  }

  private static final class Worker extends Thread {
    private volatile IntConsumer task;
    private volatile int index;
    private volatile boolean done = true;
    private volatile Throwable failure;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    void hand(IntConsumer task, int index) {
      this.index = index;
      this.failure = null;
      this.done = false;
      this.task = task; // the volatile write that publishes the fields above
      LockSupport.unpark(this);
    }

    Throwable await() {
      long spins = 0;
      while (!done) {
        if (++spins > 1 << 24) {
          Thread.yield(); // a part this long (tens of milliseconds) no longer needs a fast handover
        }
      }
      return failure;
    }

    @Override
    public void run() {
      while (true) {
        IntConsumer t = waitForTask();
        task = null;
        try {
          t.accept(index);
        } catch (Throwable e) {
          failure = e;
        }
        done = true;
      }
    }

    private IntConsumer waitForTask() {
      long since = System.nanoTime();
      int spins = 0;
      IntConsumer t;
      while ((t = task) == null) {
        if ((++spins & 1023) == 0 && System.nanoTime() - since > SPIN_NANOS) {
          LockSupport.park(this); // woken by hand(); spurious wake-ups just loop
        }
      }
      return t;
    }
  }
}
