package dev.llmsweep.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The CPU counters that tell a co-runner from the software: what other processes and the hypervisor
 * took while a point ran.
 */
class HostCpuTest {

  @Test
  void sharesCountOthersAndStealButNotThisProcessOrWhatItStarted() {
    // two CPUs, 200 ticks of wall time each = 400 ticks between the snapshots
    HostCpu.Snapshot from =
        HostCpu.machine(
            "cpu  1000 0 500 8000 0 0 0 100 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n",
            Map.of(1L, 300L, 2L, 50L));
    HostCpu.Snapshot to =
        HostCpu.machine(
            // busy +240 (user 200, system 40), idle +120, steal +40
            "cpu  1200 0 540 8120 0 0 0 140 0 0\n",
            // this JVM +100 ticks, its server child +60, and a child started in between: 20
            Map.of(1L, 400L, 2L, 110L, 3L, 20L));
    HostCpu.Share share = HostCpu.between(from, to);
    assertEquals(0.15, share.others(), 1e-9, "(240 - 180) / 400"); // others: 60 of 400 ticks
    assertEquals(0.10, share.steal(), 1e-9);
    assertEquals(0.25, share.contended(), 1e-9);
  }

  @Test
  void aProcessNameWithSpacesAndParenthesesStillParses() {
    String stat =
        "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 99 0 0";
    assertEquals(1234 + 567, HostCpu.processTicks(stat));
  }

  @Test
  void unknownCountersGiveUnknownShares() {
    assertTrue(Double.isNaN(HostCpu.between(null, null).others()));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aSpinningProcessThatIsNotOursShowsAsOthers() throws Exception {
    // a busy loop detached from this JVM (its shell parent exits, so it is no descendant): a
    // neighbour on the machine's cores, as a co-runner is
    Path pidFile = Files.createTempFile("hostcpu", ".pid");
    Process launcher =
        new ProcessBuilder(
                "sh",
                "-c",
                "(sh -c 'echo $$ > " + pidFile + "; exec sh -c \"while :; do :; done\"' &) ")
            .start();
    launcher.waitFor();
    long pid = 0;
    for (int i = 0; i < 50 && pid == 0; i++) {
      String s = Files.readString(pidFile).strip();
      pid = s.isEmpty() ? 0 : Long.parseLong(s);
      Thread.sleep(20);
    }
    try {
      HostCpu.Snapshot from = HostCpu.read();
      Thread.sleep(1500);
      HostCpu.Snapshot to = HostCpu.read();
      assertNotNull(from);
      HostCpu.Share share = HostCpu.between(from, to);
      int cores = Runtime.getRuntime().availableProcessors();
      // one spinning core of `cores`, whatever else the machine runs meanwhile
      assertTrue(
          share.others() >= 0.5 / cores,
          "a loop spinning on one of " + cores + " cores read as others " + share.others());
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      Files.deleteIfExists(pidFile);
    }
  }
}
