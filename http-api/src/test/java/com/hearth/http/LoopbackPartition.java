package com.hearth.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network partition on loopback: every TCP packet from or to one node's cluster address ({@link
 * NodeProcess#clusterHost}, 127.0.0.N) is dropped, as a cut cable or a failed switch port would:
 * nothing is refused, nothing arrives, and what was sent waits in the sockets. The node's HTTP,
 * management and database traffic (on 127.0.0.1) go on, so clients can still reach it.
 *
 * <p>It uses iptables (a chain of its own, jumped to from OUTPUT, which every loopback packet
 * passes) and so needs root or CAP_NET_ADMIN; {@link #close()} removes the chain, and so does a
 * shutdown hook should the test JVM stop first.
 */
final class LoopbackPartition implements AutoCloseable {

  private final String chain;
  private final Thread cleanUp;
  private boolean healed;

  private LoopbackPartition(String chain) {
    this.chain = chain;
    this.cleanUp = new Thread(this::remove, "loopback-partition-clean-up");
    Runtime.getRuntime().addShutdownHook(cleanUp);
  }

  /** Cuts {@code clusterHost} off from every other address until {@link #close()}. */
  static LoopbackPartition isolate(String clusterHost) {
    if (!clusterHost.startsWith("127.") || clusterHost.equals("127.0.0.1"))
      throw new IllegalArgumentException(
          "only a node with a cluster address of its own on loopback can be cut off, not "
              + clusterHost);
    String chain = "HEARTH-CUT-" + ProcessHandle.current().pid();
    // A chain left by an earlier JVM with the same pid (it cannot still be running).
    iptables(false, "-D", "OUTPUT", "-j", chain);
    iptables(false, "-F", chain);
    iptables(false, "-X", chain);
    iptables(true, "-N", chain);
    LoopbackPartition partition = new LoopbackPartition(chain);
    iptables(true, "-A", chain, "-p", "tcp", "-s", clusterHost, "-j", "DROP");
    iptables(true, "-A", chain, "-p", "tcp", "-d", clusterHost, "-j", "DROP");
    iptables(true, "-I", "OUTPUT", "-j", chain);
    return partition;
  }

  /** Heals the partition: packets flow again, and what waited in the sockets is delivered. */
  @Override
  public void close() {
    remove();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanUp);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs, or has run, remove() itself
    }
  }

  private synchronized void remove() {
    if (healed) return;
    iptables(false, "-D", "OUTPUT", "-j", chain);
    iptables(false, "-F", chain);
    iptables(false, "-X", chain);
    healed = true;
  }

  /**
   * Runs iptables; with {@code required}, a failure (no iptables, no permission) fails the test
   * with what to do about it.
   */
  private static void iptables(boolean required, String... args) {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "5"));
    cmd.addAll(List.of(args));
    String output;
    int exit;
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 20 s");
      }
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      exit = p.exitValue();
    } catch (IOException e) {
      if (!required) return;
      throw new IllegalStateException(
          "the partition tests need iptables (apt-get install iptables) and root or CAP_NET_ADMIN: "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
    }
    if (exit != 0 && required)
      throw new IllegalStateException(
          String.join(" ", cmd)
              + " failed ("
              + exit
              + "): "
              + output
              + "; the partition tests need iptables and root or CAP_NET_ADMIN");
  }
}
