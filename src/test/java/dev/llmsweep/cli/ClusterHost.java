package dev.llmsweep.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * A host of a test cluster on this machine: the address its processes bind, and the command prefix
 * that starts a process there ({@code ip netns exec NS} for a network namespace of its own; none
 * for an address of this machine's own network, such as 127.0.0.2).
 */
record ClusterHost(String address, List<String> launcher) {
  /** An address of this machine's own network. */
  static ClusterHost local(String address) {
    return new ClusterHost(address, List.of());
  }

  /**
   * A port to listen on: {@code usual} (Spark's default, as a real cluster has it) where the host
   * has a network of its own, else one free on this machine's network.
   */
  int port(int usual) throws IOException {
    if (!launcher.isEmpty()) {
      return usual;
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return s.getLocalPort();
    }
  }
}
