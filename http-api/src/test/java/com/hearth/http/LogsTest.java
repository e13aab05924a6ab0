package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hearth.http.observability.JsonLinesEncoder;
import com.hearth.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The logs as an operator's collector gets them: JSON lines with the request id, and nothing in
 * them that identifies a person or opens an account. A node runs with traffic carrying names,
 * e-mails, tokens, card numbers and signatures; the captured lines are then searched for them.
 */
class LogsTest {

  static final String EMAIL = "jane.renter@example.org";
  static final String NAME = "Jane Quixote";
  static final String CARD = "4242 4242 4242 4242";
  static final String SIGNATURE =
      "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd";

  @Test
  void jsonLinesCarryTheRequestIdAndNoPersonalDataOrSecrets() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    JsonLinesEncoder encoder = new JsonLinesEncoder();
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Logger access = context.getLogger("hearth.access");
    Level accessBefore = access.getLevel();
    root.addAppender(appender);
    access.setLevel(Level.INFO);
    String token;
    List<String> requestIds = new ArrayList<>();
    try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.H2);
        TestNode node =
            TestNode.start(
                db, Map.of(), TestClock.runningFrom(Instant.parse("2027-01-06T15:00:00Z")))) {
      token = node.contactToken("renter-logs", NAME, EMAIL, "renter");
      String host = node.contactToken("host-logs", "Hostess Name", "host@example.org", "host");
      String kitchen =
          node.publishedKitchen(
              host,
              "{\"name\":\"Logs kitchen\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":2500}");
      // The caller's request id is kept and echoed; a missing or implausible one is replaced.
      TestNode.Reply mine =
          node.post(
              "/v1/kitchens/" + kitchen + "/bookings",
              token,
              "{\"start\":\"2027-02-01T15:00:00Z\",\"end\":\"2027-02-01T16:00:00Z\",\"note\":\""
                  + CARD
                  + " "
                  + EMAIL
                  + "\"}",
              "X-Request-Id",
              "req-logs-42");
      assertThat(mine.header("X-Request-Id")).isEqualTo("req-logs-42");
      TestNode.Reply none = node.get("/v1/me/bookings", token);
      assertThat(none.header("X-Request-Id")).matches("[0-9a-f-]{36}");
      TestNode.Reply odd =
          node.send(
              node.request("/v1/me/bookings", token)
                  .header("X-Request-Id", "a b c" + "x".repeat(80))
                  .GET());
      assertThat(odd.header("X-Request-Id")).matches("[0-9a-f-]{36}");
      requestIds.add(none.header("X-Request-Id"));
      // A bad token and a webhook with a signature; a library echoing secrets into its message.
      node.get("/v1/me/bookings", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged-signature-value");
      node.post("/v1/webhooks/stripe", null, "{\"id\":\"evt_1\"}", "Stripe-Signature", SIGNATURE);
      LoggerFactory.getLogger("some.library")
          .warn(
              "request failed: Authorization: Bearer {} for {} (name=\"{}\"), card {}, sig {}",
              token,
              EMAIL,
              NAME,
              CARD,
              "Stripe-Signature: " + SIGNATURE,
              new IllegalStateException("user " + EMAIL));
    } finally {
      root.detachAppender(appender);
      access.setLevel(accessBefore);
      appender.stop();
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    Files.writeString(Path.of("target", "logs-sample.jsonl"), logs);
    assertThat(logs).isNotBlank();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logs.split("\n")) lines.add(json.readTree(line));
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l.has("ts") && l.has("level") && l.has("logger") && l.has("message"))
                    .isTrue());
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("logger").asText()).isEqualTo("hearth.access");
              assertThat(l.path("request_id").asText()).isEqualTo("req-logs-42");
              assertThat(l.path("message").asText()).contains("POST /v1/kitchens/{id}/bookings");
            });
    assertThat(lines)
        .anySatisfy(l -> assertThat(l.path("request_id").asText()).isEqualTo(requestIds.get(0)));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l.path("logger").asText()).isEqualTo("some.library"));
    for (String secret :
        List.of(
            EMAIL,
            "host@example.org",
            "Jane",
            "Quixote",
            "Hostess",
            token,
            "eyJhbGciOiJIUzI1NiJ9",
            CARD,
            "4242424242424242",
            "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"))
      assertThat(logs).as("the logs contain %s", secret).doesNotContain(secret);
  }

  @Test
  void theNodesLogbackConfigurationWritesJsonWhenAskedAndTextByDefaultWithNoStatusNoise()
      throws Exception {
    assertThat(run("json"))
        .allSatisfy(
            line ->
                assertThat(new ObjectMapper().readTree(line).path("message").asText())
                    .isEqualTo("hello from [email] with Authorization: [redacted]"));
    List<String> text = run(null);
    assertThat(text).hasSize(1);
    assertThat(text.get(0))
        .contains(" INFO ")
        .endsWith("- hello from [email] with Authorization: [redacted]");
  }

  /**
   * The lines a JVM of its own writes with the node's logback.xml, HEARTH_LOG_FORMAT set to {@code
   * format}.
   */
  private static List<String> run(String format) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dlogback.configurationFile="
                + Path.of("target", "classes", "logback.xml").toAbsolutePath(),
            "-cp",
            System.getProperty("java.class.path"),
            SayHello.class.getName());
    builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
    if (format != null) builder.environment().put("HEARTH_LOG_FORMAT", format);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    // A normal start prints none of logback's own status lines (deprecated attributes, unused
    // appenders...): logback prints them only when its configuration has a warning or an error.
    assertThat(out).as("logback status lines").doesNotContain("|-WARN").doesNotContain("|-INFO");
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) if (line.contains("hello from")) lines.add(line);
    assertThat(lines).as(out).isNotEmpty();
    return lines;
  }

  public static final class SayHello {
    public static void main(String[] args) {
      LoggerFactory.getLogger("hello")
          .info("hello from {} with Authorization: {}", EMAIL, "Bearer abc.def");
    }
  }
}
