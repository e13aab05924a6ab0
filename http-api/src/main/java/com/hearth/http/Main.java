package com.hearth.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The node's command line: {@code run} (the default) starts a node; {@code token} mints a bearer
 * token signed with the node's secret, for local use; {@code rebuild-read-models} asks a running
 * node to rebuild its read tables, with an operator token minted the same way; {@code demo-data}
 * writes sample data into the past (see {@link DemoData}).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    CommonPool.configure();
    String command = args.length == 0 ? "run" : args[0];
    switch (command) {
      case "run" -> run();
      case "demo-data" -> System.exit(DemoData.run(Arrays.copyOfRange(args, 1, args.length)));
      case "token" -> System.out.println(token(Arrays.copyOfRange(args, 1, args.length)));
      case "rebuild-read-models" ->
          System.exit(rebuildReadModels(Arrays.copyOfRange(args, 1, args.length)));
      case "payouts" -> System.exit(AdminCli.payouts(Arrays.copyOfRange(args, 1, args.length)));
      case "reconcile" -> System.exit(AdminCli.reconcile(Arrays.copyOfRange(args, 1, args.length)));
      case "admin" -> System.exit(AdminCli.admin(Arrays.copyOfRange(args, 1, args.length)));
      case "ocr-worker" -> System.exit(OcrWorkerProcess.run());
      case "help", "--help", "-h" -> System.out.println(USAGE);
      default -> {
        System.err.println("unknown command: " + command + "\n" + USAGE);
        System.exit(2);
      }
    }
  }

  static final String USAGE =
      """
      usage: hearth [run]                                 start a node (see README for its settings)
             hearth token --sub ID --roles R[,R...] [--ttl 12h] [--name N] [--email E]
                                                          print a bearer token; roles: renter, host, admin, operator
             hearth rebuild-read-models [--url http://127.0.0.1:8080]
                                                          empty the read tables and replay the journal into them,
                                                          on the running node at --url (default: this machine's port)
             hearth demo-data                             with the node stopped, write sample kitchens and paid
                                                          bookings into last week, so that its payouts show them
      """
          + AdminCli.USAGE
          + "\n"
          + AdminCli.ADMIN_USAGE
          + "\n"
          + OcrWorkerProcess.USAGE;

  private static void run() {
    QuietStdout.install();
    if (!CommonPool.pooled()) {
      org.slf4j.LoggerFactory.getLogger(Main.class)
          .warn(
              "The JDK's common pool has a parallelism of 1, so every asynchronous step starts a"
                  + " thread of its own; set -D{}=2 (or more) in HEARTH_JAVA_OPTS",
              CommonPool.PARALLELISM);
    }
    Config config = ConfigFactory.load();
    String busy = portInUse(NodeSettings.from(config), config);
    if (busy != null) {
      System.err.println(busy);
      System.exit(1);
    }
    HearthNode node;
    try {
      node = HearthNode.start(config, Clock.systemUTC());
    } catch (RuntimeException e) {
      System.err.println(startFailure(e, NodeSettings.from(config), config));
      System.exit(1);
      return;
    }
    node.system().getWhenTerminated().toCompletableFuture().join();
    System.exit(0);
  }

  /**
   * A sentence if the HTTP or the cluster port is taken, checked before anything starts (the
   * libraries would log a stack trace first); null if both are free. A node that takes one in the
   * meantime is still reported in one sentence, by {@link #startFailure}.
   */
  static String portInUse(NodeSettings settings, Config config) {
    if (!canBind(settings.httpInterface(), settings.httpPort()))
      return "Hearth did not start: the HTTP port "
          + settings.httpPort()
          + " is already in use (by another Hearth node?). Stop that process, or set HEARTH_HTTP_PORT to a free port.";
    String bindHost = config.getString("pekko.remote.artery.bind.hostname");
    String host =
        bindHost.isBlank() ? config.getString("pekko.remote.artery.canonical.hostname") : bindHost;
    int port = config.getInt("pekko.remote.artery.canonical.port");
    if (!canBind(host, port))
      return "Hearth did not start: the cluster port "
          + port
          + " is already in use (by another Hearth node?). Stop that process, or set HEARTH_CLUSTER_PORT to a free port.";
    return null;
  }

  private static boolean canBind(String host, int port) {
    if (port == 0) return true;
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.bind(new java.net.InetSocketAddress(host, port));
      return true;
    } catch (java.io.IOException e) {
      // Only a port in use is reported here; anything else (an unknown host) fails the start as
      // before.
      return !(e instanceof java.net.BindException)
          || !String.valueOf(e.getMessage()).contains("in use");
    }
  }

  /**
   * One sentence for why the node could not start: for the usual cases (another node on the same
   * data directory or ports) what to do about it, else the failure itself. Its stack trace is for
   * HEARTH_LOG_LEVEL=DEBUG.
   */
  static String startFailure(Throwable failure, NodeSettings settings, Config config) {
    org.slf4j.LoggerFactory.getLogger(Main.class).debug("the node could not start", failure);
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t.getClass().getName().startsWith("org.h2.") && message.contains("already in use"))
        return "Hearth did not start: another Hearth node is already using the data directory "
            + settings.dataDir()
            + " (the embedded H2 database serves one process). Stop that node, or set HEARTH_DATA_DIR to another"
            + " directory (and HEARTH_HTTP_PORT and HEARTH_CLUSTER_PORT to free ports).";
      if (message.contains("Failed to bind TCP"))
        return "Hearth did not start: the cluster port "
            + config.getInt("pekko.remote.artery.canonical.port")
            + " is already in use (by another Hearth node?). Stop that process, or set HEARTH_CLUSTER_PORT to a free port.";
      if (t instanceof java.net.BindException)
        return "Hearth did not start: the HTTP port "
            + settings.httpPort()
            + " is already in use (by another Hearth node?). Stop that process, or set HEARTH_HTTP_PORT to a free port.";
    }
    Throwable root = failure;
    while (root.getCause() != null) root = root.getCause();
    return "Hearth did not start: "
        + (root.getMessage() == null ? root.toString() : root.getMessage())
        + " (HEARTH_LOG_LEVEL=DEBUG shows the details)";
  }

  static String token(String[] args) {
    String sub = null;
    List<String> roles = new ArrayList<>();
    Duration ttl = Duration.ofHours(12);
    String name = null;
    String email = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sub" -> sub = args[i + 1];
        case "--roles" ->
            roles.addAll(Arrays.stream(args[i + 1].split(",")).map(String::trim).toList());
        case "--ttl" -> ttl = ConfigFactory.parseString("d = " + args[i + 1]).getDuration("d");
        case "--name" -> name = args[i + 1];
        case "--email" -> email = args[i + 1];
        default -> throw usage("unknown option " + args[i]);
      }
    }
    if (args.length % 2 != 0) throw usage("options take a value");
    if (sub == null || roles.isEmpty()) throw usage("--sub and --roles are required");
    Config config = ConfigFactory.load();
    NodeSettings settings = NodeSettings.from(config);
    if (ttl.compareTo(settings.tokenLimits().maxLifetime()) > 0)
      throw usage(
          "--ttl may be at most "
              + settings.tokenLimits().maxLifetime().toHours()
              + "h, the node's hearth.auth.max-token-lifetime (HEARTH_AUTH_MAX_TOKEN_LIFETIME)");
    JwtAuth auth = JwtAuth.from(settings, Clock.systemUTC());
    return auth.mint(sub, roles, name, email, ttl, Clock.systemUTC());
  }

  /** POSTs the rebuild to a running node and prints its answer; the exit status is 0 on 202. */
  static int rebuildReadModels(String[] args) {
    Config config = ConfigFactory.load();
    String url = "http://127.0.0.1:" + config.getInt("hearth.http.port");
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].equals("--url")) throw usage("unknown option " + args[i]);
      url = args[i + 1].replaceAll("/+$", "");
    }
    if (args.length % 2 != 0) throw usage("options take a value");
    String token =
        token(new String[] {"--sub", "cli-operator", "--roles", "operator", "--ttl", "5m"});
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/v1/admin/read-models/rebuild"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      System.out.println(response.statusCode() + " " + response.body());
      return response.statusCode() == 202 ? 0 : 1;
    } catch (IOException e) {
      System.err.println("no node answered at " + url + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static IllegalArgumentException usage(String problem) {
    System.err.println(problem + "\n" + USAGE);
    System.exit(2);
    return new IllegalArgumentException(problem);
  }
}
