package com.hearth.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The node's command line: {@code run} (the default) starts a node; {@code token} mints a bearer
 * token signed with the node's secret, for local use.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "run" : args[0];
    switch (command) {
      case "run" -> run();
      case "token" -> System.out.println(token(Arrays.copyOfRange(args, 1, args.length)));
      case "help", "--help", "-h" -> System.out.println(USAGE);
      default -> {
        System.err.println("unknown command: " + command + "\n" + USAGE);
        System.exit(2);
      }
    }
  }

  static final String USAGE = """
      usage: hearth [run]                                 start a node (see README for its settings)
             hearth token --sub ID --roles R[,R...] [--ttl 12h]
                                                          print a bearer token; roles: renter, host, admin, operator""";

  private static void run() {
    HearthNode node = HearthNode.start(ConfigFactory.load(), Clock.systemUTC());
    node.system().getWhenTerminated().toCompletableFuture().join();
    System.exit(0);
  }

  static String token(String[] args) {
    String sub = null;
    List<String> roles = new ArrayList<>();
    Duration ttl = Duration.ofHours(12);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sub" -> sub = args[i + 1];
        case "--roles" -> roles.addAll(Arrays.stream(args[i + 1].split(",")).map(String::trim).toList());
        case "--ttl" -> ttl = ConfigFactory.parseString("d = " + args[i + 1]).getDuration("d");
        default -> throw usage("unknown option " + args[i]);
      }
    }
    if (args.length % 2 != 0) throw usage("options take a value");
    if (sub == null || roles.isEmpty()) throw usage("--sub and --roles are required");
    Config config = ConfigFactory.load();
    NodeSettings settings = NodeSettings.from(config);
    JwtAuth auth = new JwtAuth(JwtAuth.resolveSecret(settings.jwtSecret(), settings.dataDir()), Clock.systemUTC());
    return auth.mint(sub, roles, ttl, Clock.systemUTC());
  }

  private static IllegalArgumentException usage(String problem) {
    System.err.println(problem + "\n" + USAGE);
    System.exit(2);
    return new IllegalArgumentException(problem);
  }
}
