package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./hearth} script as a newcomer meets it: help that lists and explains every command,
 * usage instead of a surprise, and a token command that needs no JVM and mints tokens the node
 * accepts. Runs the script itself; {@code java} and {@code mvn} on its PATH are stand-ins that
 * fail, so a command that should be quick cannot quietly build or start the JVM.
 */
class HearthScriptTest {

  private static final Path SCRIPT = Path.of("..", "hearth").toAbsolutePath().normalize();
  private static final String SECRET = TestNode.SECRET;
  private static final Set<String> COMMANDS =
      Set.of(
          "run",
          "token",
          "demo-data",
          "payouts",
          "reconcile",
          "rebuild-read-models",
          "ocr-worker",
          "admin",
          "cluster",
          "build",
          "test",
          "help");

  @TempDir static Path noJvm;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void standInsForJavaAndMaven() throws IOException {
    for (String tool : List.of("java", "mvn")) {
      Path stub = noJvm.resolve(tool);
      Files.writeString(stub, "#!/bin/sh\necho \"" + tool + " must not run here\" >&2\nexit 97\n");
      Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  static Run hearth(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
    builder.environment().put("PATH", noJvm + ":" + System.getenv("PATH"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    var out = process.getInputStream();
    var err = process.getErrorStream();
    byte[][] streams = new byte[2][];
    Thread errReader =
        new Thread(
            () -> {
              try {
                streams[1] = err.readAllBytes();
              } catch (IOException e) {
                streams[1] = new byte[0];
              }
            });
    errReader.start();
    streams[0] = out.readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the script ends by itself").isTrue();
    errReader.join();
    return new Run(
        process.exitValue(),
        new String(streams[0], StandardCharsets.UTF_8),
        new String(streams[1], StandardCharsets.UTF_8));
  }

  /** The command names of the help's "commands:" list. */
  static Set<String> listedCommands(String help) {
    Set<String> names = new TreeSet<>();
    boolean inList = false;
    for (String line : help.split("\n")) {
      if (line.equals("commands:")) inList = true;
      else if (inList && line.startsWith("  ") && !line.isBlank())
        names.add(line.trim().split("\\s+")[0]);
    }
    return names;
  }

  @Test
  void helpListsEveryCommandWithOneLineAndExplainsEachOne() throws Exception {
    for (String asked : List.of("help", "--help", "-h")) {
      Run help = hearth(Map.of(), asked);
      assertThat(help.exit()).as(asked).isZero();
      assertThat(help.out()).startsWith("usage: ./hearth COMMAND");
      assertThat(listedCommands(help.out())).containsAll(COMMANDS);
    }
    for (String command : listedCommands(hearth(Map.of(), "help").out())) {
      Run one = hearth(Map.of(), "help", command);
      assertThat(one.exit()).as("help " + command).isZero();
      assertThat(one.out())
          .as("help " + command)
          .contains("usage: ./hearth " + (command.equals("help") ? "COMMAND" : command));
      if (!command.equals("help")) {
        Run dashDash = hearth(Map.of(), command, "--help");
        assertThat(dashDash.exit()).as(command + " --help").isZero();
        assertThat(dashDash.out()).isEqualTo(one.out());
      }
    }
  }

  @Test
  void withoutArgumentsItPrintsUsageAndStartsNothing() throws Exception {
    Run run = hearth(Map.of());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("usage: ./hearth COMMAND")
        .contains("./hearth run")
        .doesNotContain("must not run");
  }

  @Test
  void anUnknownCommandIsOneClearLine() throws Exception {
    Run run = hearth(Map.of(), "strat");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("unknown command: strat (./hearth help lists the commands)\n");
    assertThat(hearth(Map.of(), "help", "strat").exit()).isEqualTo(2);
  }

  @Test
  void aScriptTokenCarriesTheJavaClaimsAndVerifiesInJwtAuth() throws Exception {
    long before = System.currentTimeMillis() / 1000;
    long started = System.nanoTime();
    Run run =
        hearth(
            Map.of("HEARTH_JWT_SECRET", SECRET),
            "token",
            "--sub",
            "host-1",
            "--roles",
            "host, admin",
            "--name",
            "Hana \"H\" Høst",
            "--email",
            "hana@example.com",
            "--ttl",
            "90m");
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(run.exit()).as(run.err()).isZero();
    String token = run.out().strip();

    Actor actor = new JwtAuth(SECRET, Clock.systemUTC()).verify(token).orElseThrow();
    assertThat(actor.id()).isEqualTo("host-1");
    assertThat(actor.roles()).containsExactlyInAnyOrder(Role.HOST, Role.ADMIN);
    assertThat(actor.name()).isEqualTo("Hana \"H\" Høst");
    assertThat(actor.email()).isEqualTo("hana@example.com");
    assertThat(new JwtAuth(SECRET.replace('0', '1'), Clock.systemUTC()).verify(token))
        .as("another secret")
        .isEmpty();

    JsonNode claims = payload(token);
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(5400);
    assertThat(claims.get("iat").asLong()).isBetween(before, before + 60);
    String reference =
        new JwtAuth(SECRET, Clock.systemUTC())
            .mint(
                "host-1",
                List.of("host", "admin"),
                "n",
                "e",
                Duration.ofMinutes(90),
                Clock.systemUTC());
    assertThat(fieldNames(claims)).isEqualTo(fieldNames(payload(reference)));
    assertThat(header(token)).isEqualTo(header(reference));
    // No JVM was started (java is a stand-in that fails): a token is a matter of milliseconds.
    System.out.println("./hearth token took " + tookMs + " ms");
  }

  @Test
  void withoutASecretItUsesAndMakesTheNodesSecretFile(@TempDir Path dataDir) throws Exception {
    Map<String, String> env = Map.of("HEARTH_DATA_DIR", dataDir.toString());
    Run first = hearth(env, "token", "--sub", "renter-1", "--roles", "renter");
    assertThat(first.exit()).as(first.err()).isZero();
    Path file = dataDir.resolve("jwt-secret");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    JwtAuth node = new JwtAuth(JwtAuth.resolveSecret("", dataDir), Clock.systemUTC());
    assertThat(node.verify(first.out().strip()).orElseThrow().roles()).containsExactly(Role.RENTER);
    Run second = hearth(env, "token", "--sub", "renter-2", "--roles", "renter", "--ttl", "1d");
    assertThat(node.verify(second.out().strip()).orElseThrow().id()).isEqualTo("renter-2");
    assertThat(payload(second.out().strip()).has("name")).isFalse();
  }

  @Test
  void tokenUsageErrorsExitTwoWithTheCommandsHelp() throws Exception {
    Map<String, String> env = Map.of("HEARTH_JWT_SECRET", SECRET);
    for (List<String> args :
        List.of(
            List.of("token", "--sub", "x"),
            List.of("token", "--sub"),
            List.of("token", "--sub", "x", "--roles", "renter", "--color", "red"))) {
      Run run = hearth(env, args.toArray(String[]::new));
      assertThat(run.exit()).as(args.toString()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains("usage: ./hearth token");
    }
    Run shortSecret =
        hearth(
            Map.of("HEARTH_JWT_SECRET", "too-short"), "token", "--sub", "x", "--roles", "renter");
    assertThat(shortSecret.exit()).isEqualTo(1);
    assertThat(shortSecret.err()).contains("at least 32 bytes");
  }

  /**
   * A PATH whose {@code mvn} records its arguments and succeeds, and whose {@code pg_ctlcluster}
   * fails, with HEARTH_TEST_PG_URL naming a port where no server listens.
   */
  static Map<String, String> noPostgres(Path tools, Path mvnArgs) throws IOException {
    Files.writeString(tools.resolve("mvn"), "#!/bin/sh\necho \"$@\" > '" + mvnArgs + "'\n");
    Files.writeString(
        tools.resolve("pg_ctlcluster"),
        "#!/bin/sh\necho 'pg_ctlcluster must not run here' >&2\nexit 97\n");
    for (String tool : List.of("mvn", "pg_ctlcluster"))
      Files.setPosixFilePermissions(
          tools.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
    int closedPort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    return Map.of(
        "PATH",
        tools + ":" + noJvm + ":" + System.getenv("PATH"),
        "HEARTH_TEST_PG_URL",
        "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres");
  }

  @Test
  void theEnginesTestsRunWithoutPostgres(@TempDir Path tools) throws Exception {
    Path mvnArgs = tools.resolve("mvn-args");
    Map<String, String> env = noPostgres(tools, mvnArgs);
    for (List<String> selection :
        List.of(
            List.of("-pl", "engine"),
            List.of("--projects", "engine"),
            List.of("-q", "-pl", "engine", "-Dtest=PricingTest"))) {
      Files.deleteIfExists(mvnArgs);
      List<String> args = new ArrayList<>(List.of("test"));
      args.addAll(selection);
      Run run = hearth(env, args.toArray(String[]::new));
      assertThat(run.exit()).as("%s: %s", selection, run.err()).isZero();
      assertThat(Files.readString(mvnArgs).strip())
          .isEqualTo("-B verify " + String.join(" ", selection));
    }
  }

  @Test
  void otherTestsWithoutPostgresStopWithOneClearLineAndRunNoMaven(@TempDir Path tools)
      throws Exception {
    Path mvnArgs = tools.resolve("mvn-args");
    Map<String, String> env = noPostgres(tools, mvnArgs);
    for (List<String> selection :
        List.of(
            List.<String>of(), List.of("-pl", "http-api"), List.of("-pl", "engine,projections"))) {
      List<String> args = new ArrayList<>(List.of("test"));
      args.addAll(selection);
      Run run = hearth(env, args.toArray(String[]::new));
      assertThat(run.exit()).as(selection.toString()).isEqualTo(1);
      assertThat(run.err())
          .as(selection.toString())
          .contains("the tests need PostgreSQL at 127.0.0.1:")
          .doesNotContain("pg_ctlcluster must not run");
      assertThat(mvnArgs).as("maven must not run for %s", selection).doesNotExist();
    }
  }

  private static JsonNode payload(String token) throws IOException {
    return TestNode.MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }

  private static JsonNode header(String token) throws IOException {
    return TestNode.MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
    return names;
  }
}
