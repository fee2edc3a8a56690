package dev.llmsweep.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts of their own on this machine, for a cluster test that needs several (needs root or
 * CAP_NET_ADMIN): a network namespace per host with one interface on a private /24 ({@code
 * 10.231.N.2}, {@code .3}, ...), all on one bridge, and this JVM's namespace (the driver's) on the
 * same bridge as {@code 10.231.N.1}. The bridge lives in a namespace of its own, so that the
 * machine's own firewall (which sees bridged traffic where {@code br_netfilter} is loaded, and
 * drops forwarded packets where Docker is installed) never sees the cluster's traffic. No namespace
 * has a default route and nothing is forwarded or translated: the cluster reaches nothing outside
 * this machine, and nothing outside reaches it. Names carry this JVM's pid ({@code llmsweep-PID-*},
 * {@code lswPIDd}) so that two runs never share one; everything made is removed by {@link #close}
 * (and by a shutdown hook, and by the next run where a JVM was killed first).
 */
final class NetworkNamespaces implements AutoCloseable {
  private static final Pattern OURS = Pattern.compile("llmsweep-(\\d+)-\\S+");
  private static final Pattern UPLINK = Pattern.compile("lsw(\\d+)d");
  private static final Pattern SUBNET = Pattern.compile("inet 10\\.231\\.(\\d+)\\.");

  /** This machine refuses network namespaces (not root, no CAP_NET_ADMIN, no {@code ip}). */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final String id = "llmsweep-" + ProcessHandle.current().pid();
  private final String uplink = "lsw" + ProcessHandle.current().pid() + "d";
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, ClusterHost> hosts = new LinkedHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook = new Thread(this::close, "remove network namespaces");
  private String subnet;

  private NetworkNamespaces() {}

  /**
   * Set to {@code off}, the tests run as where namespaces are refused (the fallback's own check).
   */
  static final String SWITCH = "llmsweep.test.netns";

  /**
   * A namespace for each of {@code names}, wired as above; {@link Refused} where not allowed, or
   * where {@code -Dllmsweep.test.netns=off}.
   */
  static NetworkNamespaces create(List<String> names) throws Refused, IOException {
    if ("off".equals(System.getProperty(SWITCH))) {
      throw new Refused("-D" + SWITCH + "=off");
    }
    NetworkNamespaces n = new NetworkNamespaces();
    String sw = n.id + "-switch";
    try {
      removeLeftovers();
      ip("netns", "add", sw);
    } catch (IOException e) {
      throw new Refused(e.getMessage());
    }
    n.namespaces.add(sw);
    Runtime.getRuntime().addShutdownHook(n.hook);
    try {
      n.wire(sw, names);
      return n;
    } catch (IOException | RuntimeException e) {
      n.close();
      throw e;
    }
  }

  /** The host named {@code name}: its address, and {@code ip netns exec} into its namespace. */
  ClusterHost host(String name) {
    return hosts.get(name);
  }

  /** The driver's address: this JVM's namespace, on the cluster's bridge. */
  String driverAddress() {
    return subnet + "1";
  }

  /**
   * An address on the cluster's network that no host has: a connection to it fails ("No route to
   * host") and never leaves this machine.
   */
  String vacantAddress() {
    return subnet + "99";
  }

  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("network namespaces " + id + "-*: driver " + driverAddress());
    hosts.forEach((name, h) -> s.append(", ").append(name).append(' ').append(h.address()));
    return s.toString();
  }

  private void wire(String sw, List<String> names) throws IOException {
    subnet = "10.231." + freeSubnet() + ".";
    ip("-n", sw, "link", "add", "br0", "type", "bridge");
    ip("-n", sw, "link", "set", "br0", "up");
    ip("link", "add", uplink, "type", "veth", "peer", "name", "uplink", "netns", sw);
    ip("-n", sw, "link", "set", "uplink", "master", "br0", "up");
    ip("addr", "add", driverAddress() + "/24", "dev", uplink);
    ip("link", "set", uplink, "up");
    for (String name : names) {
      String ns = id + "-" + name;
      ip("netns", "add", ns);
      namespaces.add(ns);
      String port = "to-" + name;
      ip("-n", sw, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
      ip("-n", sw, "link", "set", port, "master", "br0", "up");
      String address = subnet + (hosts.size() + 2);
      ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
      ip("-n", ns, "link", "set", "lo", "up");
      hosts.put(name, new ClusterHost(address, List.of("ip", "netns", "exec", ns)));
    }
  }

  /**
   * Stops what still runs in the namespaces (daemons a failed test left: started by this JVM in its
   * own namespaces), then removes them; the veth pairs and the bridge go with them.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // closing from the hook itself: the JVM is shutting down
    }
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      remove(namespaces.get(i)); // the hosts', then the switch's
    }
    quietly("link", "del", uplink); // normally gone with its peer
  }

  private static void remove(String ns) {
    try {
      for (String pid : ip("netns", "pids", ns).split("\\s+")) {
        if (!pid.isEmpty()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException e) {
      // no such namespace: nothing runs there
    }
    quietly("netns", "del", ns);
  }

  /** What an earlier run left: its JVM was killed before its hook could run. */
  private static void removeLeftovers() throws IOException {
    for (String line : ip("netns", "list").split("\n")) {
      Matcher m = OURS.matcher(line.split(" ")[0]);
      if (m.matches() && gone(m.group(1))) {
        remove(m.group());
      }
    }
    for (String line : ip("-o", "link", "show").split("\n")) {
      String[] fields = line.split(":\\s+|@");
      Matcher m = fields.length > 1 ? UPLINK.matcher(fields[1]) : null;
      if (m != null && m.matches() && gone(m.group(1))) {
        quietly("link", "del", m.group());
      }
    }
  }

  private static boolean gone(String pid) {
    return ProcessHandle.of(Long.parseLong(pid)).isEmpty();
  }

  /** The third octet of a 10.231.N.0/24 no interface of this namespace has. */
  private static int freeSubnet() throws IOException {
    Set<Integer> used = new HashSet<>();
    Matcher m = SUBNET.matcher(ip("-o", "-4", "addr", "show"));
    while (m.find()) {
      used.add(Integer.parseInt(m.group(1)));
    }
    int start = (int) (ProcessHandle.current().pid() % 256);
    for (int k = 0; k < 256; k++) {
      if (!used.contains((start + k) % 256)) {
        return (start + k) % 256;
      }
    }
    throw new IOException("every 10.231.N.0/24 is taken on this machine");
  }

  private static void quietly(String... args) {
    try {
      ip(args);
    } catch (IOException e) {
      // already gone
    }
  }

  /** {@code ip ARGS}: its output, or an IOException with its message where it fails. */
  private static String ip(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + ": " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", cmd) + ": interrupted");
    }
    return out;
  }
}
