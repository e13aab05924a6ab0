package com.hearth.http.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sentry.Sentry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Error reporting against a Sentry ingestion endpoint played by a local server (the real io.sentry
 * client sends its envelopes to the DSN's {@code http://key@127.0.0.1:PORT/1}): with a DSN an ERROR
 * line arrives as an event with its message, exception and request id, and without the e-mail,
 * token or card it carried; without one, nothing is sent.
 */
class ErrorReportingTest {

  static final String EMAIL = "jane.renter@example.org";
  static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlLXZhbHVl";
  static final String CARD = "4242 4242 4242 4242";

  HttpServer sentry;
  final List<String> envelopes = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();
  Logger logger;
  ErrorReporting appender;

  @BeforeEach
  void start() throws IOException {
    sentry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sentry.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          InputStream in = new ByteArrayInputStream(body);
          if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding")))
            in = new GZIPInputStream(in);
          paths.add(exchange.getRequestURI().getPath());
          envelopes.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    sentry.start();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender = new ErrorReporting();
    appender.setContext(context);
    appender.start();
    logger = context.getLogger("error.reporting.test");
    logger.addAppender(appender);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(appender);
    appender.stop();
    Sentry.close();
    sentry.stop(0);
  }

  Config config(String dsn) {
    return ConfigFactory.parseMap(
        Map.of("hearth.sentry.dsn", dsn, "hearth.sentry.environment", "test"));
  }

  @Test
  void withoutADsnNothingIsSentAndWithOneTheErrorArrivesScrubbed() throws Exception {
    assertThat(ErrorReporting.start(config(""))).isFalse();
    logger.error("no-dsn marker: failed for {}", EMAIL, new IllegalStateException("no-dsn"));

    String dsn = "http://public0key@127.0.0.1:" + sentry.getAddress().getPort() + "/1";
    assertThat(ErrorReporting.start(config(dsn))).isTrue();
    MDC.put(RequestObservation.MDC_KEY, "req-sentry-1");
    try {
      logger.error(
          "booking failed for {} with Authorization: Bearer {} and card {}",
          EMAIL,
          TOKEN,
          CARD,
          new IllegalStateException("gateway refused renter " + EMAIL + " card " + CARD));
      logger.warn("a warning is not an error: {}", "warn marker");
    } finally {
      MDC.remove(RequestObservation.MDC_KEY);
    }
    Sentry.flush(5_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> event() != null);

    assertThat(paths).allSatisfy(p -> assertThat(p).isEqualTo("/api/1/envelope/"));
    JsonNode event = event();
    assertThat(event.path("level").asText()).isEqualTo("error");
    assertThat(event.path("environment").asText()).isEqualTo("test");
    assertThat(event.path("logger").asText()).isEqualTo("error.reporting.test");
    assertThat(event.path("message").path("formatted").asText())
        .startsWith("booking failed for [email] with Authorization: [redacted]");
    assertThat(event.path("tags").path("request_id").asText()).isEqualTo("req-sentry-1");
    JsonNode exception = event.path("exception").path("values").get(0);
    assertThat(exception.path("type").asText()).isEqualTo("IllegalStateException");
    assertThat(exception.path("value").asText()).startsWith("gateway refused renter [email]");
    assertThat(event.has("user")).isFalse();
    assertThat(event.has("request")).isFalse();
    assertThat(event.has("server_name")).isFalse();

    String all = String.join("\n", envelopes);
    for (String secret :
        List.of(EMAIL, TOKEN, "eyJhbGciOiJIUzI1NiJ9", CARD, "4242424242424242", "no-dsn marker"))
      assertThat(all).as("what reached Sentry contains %s", secret).doesNotContain(secret);
    assertThat(all).doesNotContain("warn marker");
  }

  /** The one event envelope's event, or null while none has arrived. */
  JsonNode event() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode found = null;
    for (String envelope : envelopes) {
      String[] lines = envelope.split("\n");
      for (int i = 1; i + 1 < lines.length; i += 2)
        if (json.readTree(lines[i]).path("type").asText().equals("event")) {
          assertThat(found).as("a second event").isNull();
          found = json.readTree(lines[i + 1]);
        }
    }
    return found;
  }
}
