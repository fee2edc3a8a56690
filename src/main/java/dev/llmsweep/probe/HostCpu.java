package dev.llmsweep.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Who else used the host's CPUs while a point ran: the share of the machine's CPU time that other
 * processes used, and the share the hypervisor took from this guest (steal), from the kernel's
 * counters ({@code /proc/stat} against {@code /proc/<pid>/stat} of this process and its
 * descendants: a server the run started is the run's, not a neighbour). Free to read, so it covers
 * the whole point, unlike the millisecond probes: a probe wakes its threads fresh, and Linux
 * favours a freshly woken thread over a CPU hog for the start of a time slice, so a co-runner on
 * the same kernel leaves the probes' readings untouched while the engine, always runnable, shares
 * its cores with it (on the 2-core EPYC VM, two memcpy loops slowed batch-1 TPOT 2.8x with read
 * bandwidth and FMA probes at 1.06x and 0.88x of the quiet runs'). Linux only: {@link #read()} is
 * null elsewhere.
 */
public final class HostCpu {
  private static final Path STAT = Path.of("/proc/stat");

  private HostCpu() {}

  /**
   * The kernel's counters at one moment, in clock ticks summed over every CPU.
   *
   * @param total every state (user, nice, system, idle, iowait, irq, softirq, steal)
   * @param busy user, nice, system, irq and softirq (guest time is inside user)
   * @param steal time the hypervisor ran something else while this guest wanted the CPU
   * @param self user and system time of this process and of each live descendant, by pid
   */
  public record Snapshot(long total, long busy, long steal, Map<Long, Long> self) {}

  /**
   * Shares of the machine's CPU time between two snapshots, 0 to 1.
   *
   * @param others used by processes other than this one
   * @param steal taken by the hypervisor
   */
  public record Share(double others, double steal) {
    /** Neither known. */
    public static final Share UNKNOWN = new Share(Double.NaN, Double.NaN);

    /** What the run did not have of the machine: others and steal together. */
    public double contended() {
      return others + steal;
    }
  }

  /** The counters now; null where they cannot be read (not Linux, no procfs). */
  public static Snapshot read() {
    try {
      String stat = Files.readString(STAT);
      Map<Long, Long> self = new HashMap<>();
      ProcessHandle me = ProcessHandle.current();
      self.put(me.pid(), processTicks(Files.readString(Path.of("/proc/self/stat"))));
      me.descendants()
          .forEach(
              p -> {
                try {
                  self.put(
                      p.pid(),
                      processTicks(Files.readString(Path.of("/proc/" + p.pid() + "/stat"))));
                } catch (IOException | RuntimeException gone) {
                  // exited between the listing and the read: its time counts as another's
                }
              });
      return machine(stat, self);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The shares between {@code from} and {@code to}; {@link Share#UNKNOWN} when either is null. */
  public static Share between(Snapshot from, Snapshot to) {
    if (from == null || to == null || to.total() - from.total() <= 0) {
      return Share.UNKNOWN;
    }
    double total = to.total() - from.total();
    // the two files are read a moment apart and tick separately: a share a tick or two below zero
    // is rounding, not a negative load
    long self = 0;
    for (Map.Entry<Long, Long> e : to.self().entrySet()) {
      // a process started in between spent all its time in between
      self += e.getValue() - from.self().getOrDefault(e.getKey(), 0L);
    }
    double others = ((to.busy() - from.busy()) - self) / total;
    double steal = (to.steal() - from.steal()) / total;
    return new Share(clamp(others), clamp(steal));
  }

  private static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }

  /** The aggregate {@code cpu} line of {@code /proc/stat}, with the processes' times. */
  static Snapshot machine(String stat, Map<Long, Long> self) {
    String line = stat.lines().filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
    String[] f = line.trim().split("\\s+");
    long[] v = new long[8];
    for (int i = 0; i < v.length && i + 1 < f.length; i++) {
      v[i] = Long.parseLong(f[i + 1]);
    }
    long total = 0;
    for (long x : v) {
      total += x;
    }
    long busy = v[0] + v[1] + v[2] + v[5] + v[6];
    return new Snapshot(total, busy, v[7], Map.copyOf(self));
  }

  /**
   * Fields 14-15 (utime, stime) of a {@code /proc/<pid>/stat}, counted after the parenthesised
   * command name, which may hold spaces.
   */
  static long processTicks(String stat) {
    String[] s = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // s[0] is field 3 (state)
    return Long.parseLong(s[11]) + Long.parseLong(s[12]);
  }
}
