package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.auth0.jwt.algorithms.Algorithm;
import com.hearth.http.TestNode.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The attacks of issue 14 repeated against one real node: malformed and oversized tokens, a token's
 * way into the logs, slow and oversized requests, fractional numbers, public health detail and the
 * files the node leaves behind.
 */
class AbuseResistanceTest {

  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
  private static final String KITCHEN =
      "{\"name\":\"K\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":2500,\"opening_hours\":{"
          + String.join(
              ",",
              Stream.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                  .map(d -> "\"" + d + "\":[{\"open\":\"06:00\",\"close\":\"23:00\"}]")
                  .toList())
          + "}}";

  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final Logger root =
      (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private static TestDatabase db;
  private static TestNode node;

  @BeforeAll
  static void start() {
    logs.start();
    root.addAppender(logs);
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.http.header-timeout", HEADER_TIMEOUT.toMillis() + "ms",
                "hearth.http.body-timeout", BODY_TIMEOUT.toMillis() + "ms"));
  }

  @AfterAll
  static void stop() throws Exception {
    root.detachAppender(logs);
    if (node != null) node.close();
    if (db != null) db.close();
  }

  // ---------------------------------------------------------------- tokens

  @Test
  void malformedTokensAre401NeverA500() {
    for (String payload :
        List.of(
            "{\"sub\":\"r-1\",\"roles\":[null],\"exp\":%d}",
            "{\"sub\":\"r-1\",\"roles\":[1],\"exp\":%d}",
            "{\"sub\":\"r-1\",\"roles\":\"renter\",\"exp\":%d}",
            "{\"sub\":\"" + "s".repeat(300) + "\",\"roles\":[\"renter\"],\"exp\":%d}",
            "{\"sub\":\"r-1\",\"roles\":[\"renter\"],\"exp\":\"%d\"}",
            "{\"sub\":\"r-1\",\"sub\":\"r-2\",\"roles\":[\"renter\"],\"exp\":%d}",
            "{\"sub\":\"r-1\",\"roles\":[\"renter\"],\"exp\":%d,\"name\":[]}")) {
      Reply reply = node.get("/v1/me/bookings", signed(payload));
      assertThat(reply.status()).as(payload).isEqualTo(401);
      assertThat(reply.code()).isEqualTo("UNAUTHORIZED");
    }
    assertThat(
            node.get(
                    "/v1/me/bookings",
                    signed("{\"sub\":\"r-1\",\"roles\":[\"renter\"],\"exp\":%d}"))
                .status())
        .as("the same shape, well typed")
        .isEqualTo(200);
  }

  @Test
  void aLookalikeAdminRoleIsNoAdmin() {
    String dotless = node.token("u-1", "adm\u0131n");
    String upper = node.token("u-1", "ADMIN");
    assertThat(node.get("/v1/admin/cluster", dotless).status()).isEqualTo(403);
    assertThat(node.get("/v1/admin/cluster", upper).status()).isEqualTo(403);
    assertThat(node.get("/v1/admin/cluster", node.token("u-1", "admin")).status()).isEqualTo(200);
  }

  @Test
  void twoAuthorizationHeadersAreRefusedEvenWhenBothAreValid() throws IOException {
    String token = node.token("r-1", "renter");
    String answer =
        exchange(
            "GET /v1/me/bookings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + token
                + "\r\nAuthorization: Bearer "
                + token
                + "\r\nConnection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 401");
    assertThat(answer).contains("exactly one Authorization header");
  }

  @Test
  void hostRightsOverAKitchenNeedTheHostRole() {
    String kitchen = node.publishedKitchen(node.token("host-7", "host"), KITCHEN);
    assertThat(
            node.get("/v1/kitchens/" + kitchen + "/bookings", node.token("host-7", "renter"))
                .status())
        .isEqualTo(403);
    assertThat(
            node.get("/v1/kitchens/" + kitchen + "/bookings", node.token("host-7", "host"))
                .status())
        .isEqualTo(200);
    // Cancelling as the host (a full refund) needs the host role too.
    Instant start =
        node.clock()
            .instant()
            .plus(Duration.ofDays(3))
            .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
            .plus(Duration.ofHours(10));
    Reply held =
        node.post(
            "/v1/kitchens/" + kitchen + "/bookings",
            node.token("renter-7", "renter"),
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(1)) + "\"}");
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    String booking = held.body().get("booking_id").asText();
    assertThat(
            node.post("/v1/bookings/" + booking + "/cancel", node.token("host-7", "renter"), null)
                .status())
        .isEqualTo(404);
    assertThat(
            node.get("/v1/bookings/" + booking, node.token("renter-7", "renter"))
                .body()
                .get("status")
                .asText())
        .isEqualTo("HELD");
  }

  @Test
  void noHeaderValueEverReachesTheLogs() throws IOException {
    String token = node.token("r-log", "renter");
    String secretPart = token.substring(token.lastIndexOf('.') + 1);
    List<String> requests =
        List.of(
            "Authorization: Bearer " + token + ";",
            "Authorization: Bearer " + token + ",",
            "Authorization: Bearer " + token + ", Bearer " + token,
            "Authorization: " + token,
            "Authorization: Bearer " + token + "\u00e9",
            "Authorization: Bearer " + token + "\r\nAuthorization: Bearer " + token + ";",
            "Authorization: Bearer " + token + "x".repeat(9000),
            "X-Token: " + token + ";;",
            "Content-Length: " + token);
    for (String header : requests) {
      String answer =
          exchange(
              "GET /v1/me/bookings HTTP/1.1\r\nHost: x\r\n"
                  + header
                  + "\r\nConnection: close\r\n\r\n");
      assertThat(answer).as(header).matches("(?s)HTTP/1.1 4\\d\\d .*");
    }
    // Pekko logs through an actor: once a line logged after the requests is in, theirs are too.
    String marker = "marker-" + UUID.randomUUID();
    node.system().classicSystem().log().warning(marker);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> snapshot(logs).stream().anyMatch(e -> text(e).contains(marker)));
    assertThat(snapshot(logs)).noneSatisfy(e -> assertThat(text(e)).contains(secretPart));
  }

  // ---------------------------------------------------------------- connections and bodies

  @Test
  void aConnectionDribblingHeadersIsClosedAndHealthKeepsAnswering() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        Socket s = new Socket("127.0.0.1", node.port());
        s.getOutputStream()
            .write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        slow.add(s);
      }
      long healthStarted = System.nanoTime();
      assertThat(node.get("/health/live", null).status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - healthStarted))
          .isLessThan(Duration.ofSeconds(2));

      Socket dribbler = slow.get(0);
      dribbler.setSoTimeout(250);
      Instant opened = Instant.now();
      Duration closedAfter = null;
      for (int line = 0;
          closedAfter == null && Duration.between(opened, Instant.now()).toSeconds() < 15;
          line++) {
        try {
          dribbler
              .getOutputStream()
              .write(("X-Slow-" + line + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
          if (dribbler.getInputStream().read() < 0)
            closedAfter = Duration.between(opened, Instant.now());
        } catch (SocketTimeoutException stillOpen) {
          // no byte yet: the connection is open; send the next line
        } catch (IOException reset) {
          closedAfter = Duration.between(opened, Instant.now());
        }
      }
      assertThat(closedAfter).as("closed by the node").isNotNull();
      assertThat(closedAfter).isLessThan(HEADER_TIMEOUT.plusSeconds(3));
      assertThat(node.get("/health/live", null).status()).isEqualTo(200);
    } finally {
      for (Socket s : slow) s.close();
    }
  }

  @Test
  void aBodyThatDoesNotArriveInTimeIs408() throws IOException {
    String head =
        "POST /v1/kitchens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + node.token("host-1", "host")
            + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":";
    try (Socket s = new Socket("127.0.0.1", node.port())) {
      s.setSoTimeout((int) BODY_TIMEOUT.plusSeconds(5).toMillis());
      long started = System.nanoTime();
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      String answer = readSome(s.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 408");
      assertThat(answer).contains("REQUEST_TIMEOUT");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(BODY_TIMEOUT.minusMillis(200), BODY_TIMEOUT.plusSeconds(3));
    }
  }

  /**
   * A client that sends a body somewhat over the limit without waiting (as most do) reads its 413:
   * the node reads the body through before answering, rather than answering and closing while the
   * client still writes (which reset the connection under the client, and it saw no answer at all).
   * The body goes in four parts with pauses between them, a client slower than the node.
   */
  @Test
  void aClientStillSendingAnOversizedBodyReadsIts413() throws Exception {
    String token = node.token("host-1", "host");
    byte[] body = ("{\"n\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket("127.0.0.1", node.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/kitchens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + token
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      int part = body.length / 4 + 1;
      for (int from = 0; from < body.length; from += part) {
        out.write(body, from, Math.min(part, body.length - from));
        out.flush();
        Thread.sleep(150); // a slow client, not a wait for the node
      }
      String answer = readSome(s.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 413");
      assertThat(answer).contains("PAYLOAD_TOO_LARGE");
    }
  }

  @Test
  void anOversizedBodyIs413BeforeItIsSent() throws IOException {
    String token = node.token("host-1", "host");
    for (String target : List.of("/v1/kitchens", "/v1/webhooks/stripe")) {
      try (Socket s = new Socket("127.0.0.1", node.port())) {
        s.setSoTimeout(5_000);
        // The body is announced, never sent: the answer cannot wait for it.
        s.getOutputStream()
            .write(
                ("POST "
                        + target
                        + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
        String answer = readSome(s.getInputStream());
        assertThat(answer).as(target).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("PAYLOAD_TOO_LARGE");
      }
    }
    Reply large = node.post("/v1/webhooks/stripe", null, "{\"p\":\"" + "x".repeat(300_000) + "\"}");
    assertThat(large.status()).isEqualTo(413);
  }

  @Test
  void fractionalNumbersForWholeNumberFieldsAre400() {
    String host = node.token("host-1", "host");
    Reply kitchen = node.post("/v1/kitchens", host, KITCHEN.replace("2500", "4500.99"));
    assertThat(kitchen.status()).isEqualTo(400);
    assertThat(kitchen.body().toString()).contains("hourly_rate_cents");
    assertThat(node.post("/v1/kitchens", host, KITCHEN.replace("2500", "4500.0")).status())
        .isEqualTo(400);
    assertThat(node.post("/v1/kitchens", host, KITCHEN.replace("2500", "2.5e3")).status())
        .isEqualTo(400);
    String booking = "bk_" + UUID.randomUUID().toString().replace("-", "") + "0123456789abcdef";
    Reply refund =
        node.post("/v1/bookings/" + booking + "/refunds", host, "{\"amount_cents\":1.9}");
    assertThat(refund.status()).isEqualTo(400);
    assertThat(refund.body().toString()).contains("amount_cents");
  }

  // ---------------------------------------------------------------- health and files

  @Test
  void publicHealthSaysUpOrDownAndOperatorsSeeTheDetail() {
    for (String token : new String[] {null, node.token("r-1", "renter"), "not-a-token"}) {
      Reply projections = node.get("/health/projections", token);
      assertThat(projections.body().has("status")).isTrue();
      assertThat(projections.body().size()).as(projections.body().toString()).isEqualTo(1);
      assertThat(node.get("/health/ready", token).body().has("checks")).isFalse();
    }
    Reply detail = node.get("/health/projections", node.token("op-1", "operator"));
    assertThat(detail.body().has("projections")).isTrue();
    assertThat(node.get("/health/ready", node.token("admin-1", "admin")).body().has("checks"))
        .isTrue();
  }

  @Test
  void theDataDirectoryAndItsFilesAreTheOwnersOnly() throws IOException {
    Path dir = db.dataDir();
    assertThat(Files.getPosixFilePermissions(dir))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      assertThat(all).anySatisfy(p -> assertThat(p.getFileName().toString()).endsWith(".mv.db"));
      assertThat(all)
          .allSatisfy(
              p ->
                  assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                      .as(p.toString())
                      .endsWith("------"));
    }
  }

  // ---------------------------------------------------------------- plumbing

  /**
   * A token signed with the node's secret whose payload is {@code json}, {@code %d} an exp an hour
   * ahead.
   */
  private static String signed(String json) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    byte[] header =
        b64.encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    byte[] payload =
        b64.encode(
            String.format(json, node.clock().instant().plus(Duration.ofHours(1)).getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
    byte[] signature =
        Algorithm.HMAC256(TestNode.SECRET.getBytes(StandardCharsets.UTF_8)).sign(header, payload);
    return new String(header, StandardCharsets.US_ASCII)
        + "."
        + new String(payload, StandardCharsets.US_ASCII)
        + "."
        + b64.encodeToString(signature);
  }

  /** Sends raw bytes (UTF-8) on a fresh connection and reads the answer's start. */
  private static String exchange(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", node.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return readSome(s.getInputStream());
    }
  }

  /**
   * What arrives until the connection closes, 64 KiB, or a pause of the socket's timeout after some
   * bytes.
   */
  private static String readSome(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while (got.size() < 65536 && (n = in.read(buffer)) > 0) {
        got.write(buffer, 0, n);
        if (got.toString(StandardCharsets.UTF_8).contains("\r\n\r\n")
            && got.toString(StandardCharsets.UTF_8).endsWith("}")) break;
      }
    } catch (SocketTimeoutException | java.net.SocketException stopped) {
      if (got.size() == 0) throw stopped;
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  private static List<ILoggingEvent> snapshot(ListAppender<ILoggingEvent> appender) {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  private static String text(ILoggingEvent e) {
    StringBuilder all =
        new StringBuilder(e.getFormattedMessage() == null ? "" : e.getFormattedMessage());
    if (e.getArgumentArray() != null)
      for (Object a : e.getArgumentArray()) all.append(' ').append(a);
    for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause())
      all.append(' ').append(t.getMessage());
    e.getMDCPropertyMap().values().forEach(v -> all.append(' ').append(v));
    return all.toString();
  }
}
