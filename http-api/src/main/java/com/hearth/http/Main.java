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
 * node to rebuild its read tables, with an operator token minted the same way.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "run" : args[0];
    switch (command) {
      case "run" -> run();
      case "token" -> System.out.println(token(Arrays.copyOfRange(args, 1, args.length)));
      case "rebuild-read-models" -> System.exit(rebuildReadModels(Arrays.copyOfRange(args, 1, args.length)));
      case "payouts" -> System.exit(AdminCli.payouts(Arrays.copyOfRange(args, 1, args.length)));
      case "reconcile" -> System.exit(AdminCli.reconcile(Arrays.copyOfRange(args, 1, args.length)));
      case "help", "--help", "-h" -> System.out.println(USAGE);
      default -> {
        System.err.println("unknown command: " + command + "\n" + USAGE);
        System.exit(2);
      }
    }
  }

  static final String USAGE = """
      usage: hearth [run]                                 start a node (see README for its settings)
             hearth token --sub ID --roles R[,R...] [--ttl 12h] [--name N] [--email E]
                                                          print a bearer token; roles: renter, host, admin, operator
             hearth rebuild-read-models [--url http://127.0.0.1:8080]
                                                          empty the read tables and replay the journal into them,
                                                          on the running node at --url (default: this machine's port)
      """ + AdminCli.USAGE;

  private static void run() {
    HearthNode node = HearthNode.start(ConfigFactory.load(), Clock.systemUTC());
    node.system().getWhenTerminated().toCompletableFuture().join();
    System.exit(0);
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
        case "--roles" -> roles.addAll(Arrays.stream(args[i + 1].split(",")).map(String::trim).toList());
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
    JwtAuth auth = new JwtAuth(JwtAuth.resolveSecret(settings.jwtSecret(), settings.dataDir()), Clock.systemUTC());
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
    String token = token(new String[] {"--sub", "cli-operator", "--roles", "operator", "--ttl", "5m"});
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/admin/read-models/rebuild"))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
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
