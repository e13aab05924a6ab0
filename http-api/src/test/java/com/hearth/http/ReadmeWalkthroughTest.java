package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "first session with curl", run as written: its {@code sh} blocks, in order, in one
 * bash, against a real node, with only the address changed. So the README cannot drift from the
 * product: a renamed field, a wrong status or a command that fails breaks this test.
 */
class ReadmeWalkthroughTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  static TestDatabase db;
  static TestNode node;

  @BeforeAll
  static void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node = TestNode.start(db, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  /** The {@code sh} blocks between two headings of the README. */
  static List<String> shellBlocks(String readme, String fromHeading, String toHeading) {
    String section = readme.substring(readme.indexOf(fromHeading), readme.indexOf(toHeading));
    Matcher block = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(section);
    List<String> blocks = new ArrayList<>();
    while (block.find()) blocks.add(block.group(1));
    return blocks;
  }

  @Test
  void theFirstSessionWithCurlWorksAsWritten(@TempDir Path workDir) throws Exception {
    String readme = Files.readString(REPO.resolve("README.md"), StandardCharsets.UTF_8);
    List<String> blocks = shellBlocks(readme, "## A first session with curl", "## Seeing a payout");
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(10);
    // The README's commands run from the repository root: here a directory with the same script.
    Files.createSymbolicLink(workDir.resolve("hearth"), REPO.resolve("hearth"));
    Files.createDirectories(workDir.resolve("data"));
    StringBuilder script = new StringBuilder("set -eu\n");
    for (int i = 0; i < blocks.size(); i++)
      script
          .append("echo '--- block ")
          .append(i + 1)
          .append("'\n")
          .append(blocks.get(i))
          .append("echo\n");
    String session =
        script.toString().replace("http://localhost:8080", "http://127.0.0.1:" + node.port());

    ProcessBuilder bash =
        new ProcessBuilder("bash", "-c", session)
            .directory(workDir.toFile())
            .redirectErrorStream(true);
    bash.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
    bash.environment().put("HEARTH_JWT_SECRET", TestNode.SECRET);
    Process process = bash.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();

    assertThat(output)
        .as(output)
        .contains("\"status\":\"DRAFT\"", "\"name\":\"Harbor Street Commissary\"")
        .contains("\"status\":\"PUBLISHED\"")
        .contains("\"free\":[{\"start\":")
        .contains("\"status\":\"HELD\"", "\"total_cents\":9799", "\"host_payout_cents\":7650")
        .contains("HTTP/1.1 200 OK", "Idempotent-Replayed: true")
        .contains("\"code\":\"SLOT_UNAVAILABLE\"")
        .contains("\"client_secret\":", "\"amount_cents\":9799")
        .contains(
            "\"status\":\"CANCELLED\"",
            "\"refund_cents\":9309",
            "\"cancel_reason\":\"menu test moved\"")
        .contains("\"freshness\":")
        .doesNotContain(
            "\"code\":\"UNAUTHORIZED\"", "\"code\":\"VALIDATION_FAILED\"", "\"status\":500");
    assertThat(workDir.resolve("data/kitchen.json")).exists();
  }
}
