package com.hearth.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Hearth node in a JVM of its own (java -cp of the test classpath, com.hearth.http.Main run) on
 * loopback (HTTP on 127.0.0.1; cluster traffic and management on 127.0.0.N), so tests can kill -9
 * it, SIGTERM it and start it again on the same ports. Settings go in as -D system properties; its
 * output goes to target/cluster-nodes/NAME.log.
 */
final class NodeProcess implements AutoCloseable {

  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;

  /**
   * The loopback address of this node's cluster traffic: 127.0.0.(N+1) for the Nth node, for both
   * ends of its remoting connections (canonical hostname and outbound client address) and for its
   * management endpoint (the contact point the others probe), so that a test can cut one node off
   * from the others with a packet filter ({@link LoopbackPartition}) while its HTTP and database
   * traffic (on 127.0.0.1) go on.
   */
  final String clusterHost;

  final int httpPort;
  final int clusterPort;
  final int managementPort;
  private final Map<String, String> settings;
  private final Path log;
  private Process process;

  private NodeProcess(
      String name,
      String clusterHost,
      int httpPort,
      int clusterPort,
      int managementPort,
      Map<String, String> settings,
      Path log) {
    this.name = name;
    this.clusterHost = clusterHost;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.managementPort = managementPort;
    this.settings = settings;
    this.log = log;
  }

  /** Ports for {@code count} nodes, free when probed (each node binds them itself later). */
  static List<NodeProcess> plan(int count, TestDatabase db, Map<String, String> extra) {
    List<int[]> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) ports.add(new int[] {freePort(), freePort(), freePort()});
    StringBuilder contactPoints = new StringBuilder();
    for (int i = 0; i < count; i++)
      contactPoints
          .append(contactPoints.isEmpty() ? "" : ",")
          .append(clusterHost(i))
          .append(':')
          .append(ports.get(i)[2]);
    List<NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] p = ports.get(i);
      String clusterHost = clusterHost(i);
      Map<String, String> s = new LinkedHashMap<>();
      db.nodeSettings().forEach((k, v) -> s.put(k, String.valueOf(v)));
      s.put("hearth.db.data-dir", db.dataDir().resolve("node-" + (i + 1)).toString());
      s.put("hearth.http.interface", "127.0.0.1");
      s.put("hearth.http.port", String.valueOf(p[0]));
      s.put("pekko.remote.artery.canonical.hostname", clusterHost);
      s.put("pekko.remote.artery.advanced.tcp.outbound-client-hostname", clusterHost);
      s.put("pekko.remote.artery.canonical.port", String.valueOf(p[1]));
      s.put("hearth.management.interface", clusterHost);
      s.put("hearth.management.port", String.valueOf(p[2]));
      s.put("hearth.cluster.contact-points", contactPoints.toString());
      s.put("hearth.auth.jwt-secret", TestNode.SECRET);
      TestNode.NO_LIMITS.forEach((k, v) -> s.put(k, String.valueOf(v)));
      s.putAll(extra);
      Path log = Path.of("target", "cluster-nodes", "node-" + (i + 1) + "-" + p[0] + ".log");
      nodes.add(new NodeProcess("node-" + (i + 1), clusterHost, p[0], p[1], p[2], s, log));
    }
    return nodes;
  }

  private static String jvmArgument(String key, String value) {
    if (!key.startsWith("-")) return "-D" + key + "=" + value;
    if (value.isEmpty()) return key;
    return key.startsWith("-XX:") ? key + "=" + value : key + value;
  }

  /** 127.0.0.2 for the first node, 127.0.0.3 for the second, ...: never 127.0.0.1. */
  private static String clusterHost(int index) {
    return "127.0.0." + (index + 2);
  }

  String managementUrl() {
    return "http://" + clusterHost + ":" + managementPort;
  }

  /** Starts (or starts again) the JVM; returns at once. */
  NodeProcess start() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx512m",
            "-Xss512k",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1"));
    // The node's own logging (INFO), not the tests' quiet one, which is first on this classpath.
    cmd.add("-Dlogback.configurationFile=logback.xml");
    // Each node its own free metrics port, or all but the first log that 9095 is taken.
    cmd.add("-Dhearth.metrics.port=0");
    // A setting whose key starts with "-" is a JVM option, after the defaults above so that it
    // wins over them: "-XX:ActiveProcessorCount" -> "1" gives -XX:ActiveProcessorCount=1, "-Xmx" ->
    // "2g" gives -Xmx2g, and an empty value a bare flag ("-XX:-UseSerialGC").
    settings.forEach((k, v) -> cmd.add(jvmArgument(k, v)));
    cmd.addAll(List.of("-cp", classpath(), "com.hearth.http.Main", "run"));
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // The node's environment overrides must not leak in from the build's environment.
      builder.environment().keySet().removeIf(k -> k.startsWith("HEARTH_"));
      process = builder.start();
      // Should the test JVM stop early, its nodes stop with it.
      Process started = process;
      Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
      return this;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /** kill -9: the JVM gets no chance to leave the cluster. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** SIGTERM: coordinated shutdown, leaving the cluster and handing over its kitchens. */
  void terminate() {
    process.destroy();
  }

  /**
   * SIGSTOP: the JVM stops running but keeps its sockets, as a frozen VM or a cut-off host would
   * look.
   */
  void freeze() {
    signal("STOP");
  }

  /** SIGCONT: the frozen JVM runs again, unaware of the time that passed. */
  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0)
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    } catch (IOException e) {
      throw new IllegalStateException("cannot signal " + this.name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  void waitForExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits at most {@code max} for the JVM to exit. */
  void waitForExit(Duration max) {
    try {
      process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** CPU ms (user and system) of each of the node's threads so far, by the kernel's thread id. */
  java.util.Map<Long, Long> taskCpuMillis() {
    java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
    java.io.File[] tasks = new java.io.File("/proc/" + process.pid() + "/task").listFiles();
    if (tasks == null) return cpu;
    for (java.io.File task : tasks) {
      try {
        cpu.put(Long.parseLong(task.getName()), MachineCpu.cpuMillisOf(task.toPath()));
      } catch (IOException | RuntimeException e) {
        // The thread ended between the listing and the read.
      }
    }
    return cpu;
  }

  /**
   * The pool of each of the node's threads by the kernel's thread id: the Java thread's whole name
   * (from {@code jcmd PID Thread.print}, which the kernel's 15-character names cut short, so that
   * "hearth-pekko.actor.default-dispatcher" and "...internal-dispatcher" differ) with trailing
   * digits and separators dropped; the kernel's name for threads jcmd does not list (GC, JIT).
   */
  java.util.Map<Long, String> threadPools() {
    java.util.Map<Long, String> pools = new java.util.HashMap<>();
    java.io.File[] tasks = new java.io.File("/proc/" + process.pid() + "/task").listFiles();
    if (tasks != null)
      for (java.io.File task : tasks) {
        try {
          String stat = Files.readString(task.toPath().resolve("stat"));
          pools.put(
              Long.parseLong(task.getName()),
              stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                  .replaceAll("[-#_ ]*[0-9]+$", ""));
        } catch (IOException | RuntimeException e) {
          // ended meanwhile
        }
      }
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  String.valueOf(process.pid()),
                  "Thread.print")
              .redirectErrorStream(true)
              .start();
      String out = new String(jcmd.getInputStream().readAllBytes());
      jcmd.waitFor();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(?m)^\"([^\"]+)\".* nid=0x([0-9a-f]+) ").matcher(out);
      while (m.find())
        pools.put(Long.parseLong(m.group(2), 16), m.group(1).replaceAll("[-#_ ]*[0-9]+$", ""));
    } catch (IOException e) {
      // no jcmd: the kernel's names
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return pools;
  }

  /**
   * CPU time (user and system) the JVM has used so far, in milliseconds, from /proc/PID/stat (clock
   * ticks of 10 ms, the kernel's USER_HZ on Linux); -1 when it cannot be read.
   */
  long cpuMillis() {
    try {
      return MachineCpu.cpuMillisOf(Path.of("/proc", String.valueOf(process.pid())));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  boolean ready() {
    return status(baseUrl() + "/health/ready") == 200;
  }

  /**
   * The members this node's management endpoint lists, with their status, or empty when it does not
   * answer.
   */
  Optional<Map<String, String>> members() {
    try {
      HttpResponse<String> r =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(managementUrl() + "/cluster/members"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return Optional.empty();
      Map<String, String> members = new LinkedHashMap<>();
      for (JsonNode m : TestNode.MAPPER.readTree(r.body()).path("members"))
        members.put(m.path("node").asText(), m.path("status").asText());
      return Optional.of(members);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  String clusterAddress() {
    return "pekko://hearth@" + clusterHost + ":" + clusterPort;
  }

  static int status(String url) {
    try {
      return CLIENT
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    String cp =
        surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    return String.join(File.pathSeparator, cp.split(File.pathSeparator));
  }

  /**
   * A port that is free now and below the kernel's ephemeral range, so that no port 0 bind or
   * outgoing connection (of these nodes or of anything else on the machine) can take it before the
   * node binds it, or again when a killed node is started on the same ports.
   */
  private static int freePort() {
    int ephemeralLow = 32768;
    // Read as a stream: /proc files report a size of 0, and Files.readString trusts it.
    try (java.io.InputStream in =
        Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      ephemeralLow =
          Integer.parseInt(
              new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                  .trim()
                  .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      // not Linux: keep the usual bound
    }
    if (ephemeralLow < 12_000) ephemeralLow = 32768;
    int low = Math.max(10_000, ephemeralLow - 12_000);
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = low + java.util.concurrent.ThreadLocalRandom.current().nextInt(ephemeralLow - low);
      if (port == 25520 || !USED.add(port)) continue;
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IllegalStateException("no free port below " + ephemeralLow);
  }

  /** Ports handed out in this JVM, never handed out twice. */
  private static final java.util.Set<Integer> USED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public void close() {
    if (process != null && process.isAlive()) kill();
  }
}
