package com.hearth.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hearth.testing.TestClock;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real node on 127.0.0.1 (random ports) and a real HTTP client talking to it. The node runs on a
 * {@link TestClock} the test may set and move; its tokens are minted on that clock.
 */
public final class TestNode implements AutoCloseable {

  static final String SECRET = "test-secret-for-hearth-integration-tests-0123456789";
  static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * How long a test token lives on the node's clock: long enough for a test to move the clock on by
   * months.
   */
  static final Duration TOKEN_TTL = Duration.ofDays(365);

  /**
   * The fair-use limits off: most tests place many holds by a few renters from one address; the
   * tests of the limits turn them on.
   */
  static final Map<String, Object> NO_LIMITS =
      Map.of(
          "hearth.limits.writes-per-second-per-principal", 0,
          "hearth.limits.writes-per-second-per-address", 0,
          "hearth.limits.open-holds-per-renter", 0,
          "hearth.limits.open-holds-per-renter-per-kitchen", 0,
          "hearth.limits.held-minutes-per-renter-per-kitchen", 0,
          "hearth.limits.kitchens-per-host", 0,
          "hearth.accounts.sign-ups-per-hour-per-address", 0,
          "hearth.limits.uploads-per-host-per-hour", 0,
          "hearth.limits.documents-per-kitchen", 0);

  private final HearthNode node;
  private final TestClock clock;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JwtAuth auth;

  private TestNode(HearthNode node, TestClock clock) {
    this.node = node;
    this.clock = clock;
    this.auth = new JwtAuth(SECRET, clock);
  }

  /** A node whose clock starts at the real time. */
  public static TestNode start(TestDatabase db, Map<String, Object> overrides) {
    return start(db, overrides, TestClock.runningFromNow());
  }

  /**
   * A node on {@code clock}: what it takes for "now" everywhere (holds, deadlines, tokens, payout
   * weeks...).
   */
  public static TestNode start(TestDatabase db, Map<String, Object> overrides, TestClock clock) {
    return start(db, overrides, clock, null);
  }

  /**
   * A node whose embedded OCR worker reads with {@code reader} (null: the configured one, if any).
   */
  public static TestNode start(
      TestDatabase db,
      Map<String, Object> overrides,
      TestClock clock,
      com.hearth.ocr.CertificateReader reader) {
    Map<String, Object> settings = new HashMap<>(db.nodeSettings());
    settings.put("hearth.http.port", 0);
    settings.put("hearth.http.interface", "127.0.0.1");
    settings.put("pekko.remote.artery.canonical.port", 0);
    settings.put("hearth.management.port", 0);
    settings.put("hearth.metrics.port", 0);
    settings.put("hearth.auth.jwt-secret", SECRET);
    // Test tokens live a year on the node's clock (TOKEN_TTL), which tests move on by months.
    settings.put("hearth.auth.max-token-lifetime", "400d");
    settings.putAll(NO_LIMITS);
    settings.putAll(overrides);
    Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    return new TestNode(HearthNode.start(config, clock, reader), clock);
  }

  /** The node's clock. */
  public TestClock clock() {
    return clock;
  }

  /** A token that also carries the contact claims {@code name} and {@code email}. */
  public String contactToken(String subject, String name, String email, String... roles) {
    return auth.mint(subject, List.of(roles), name, email, TOKEN_TTL, clock);
  }

  public String token(String subject, String... roles) {
    return auth.mint(subject, List.of(roles), TOKEN_TTL, clock);
  }

  public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String code() {
      return body.path("code").asText(null);
    }
  }

  /**
   * A kitchen created from {@code json} by the host of {@code hostToken}, then published; its id.
   */
  public String publishedKitchen(String hostToken, String json) {
    Reply created = post("/v1/kitchens", hostToken, json);
    if (created.status() != 201) throw new AssertionError("kitchen not created: " + created.body());
    String id = created.body().get("kitchen_id").asText();
    Reply published = post("/v1/kitchens/" + id + "/publish", hostToken, null);
    if (published.status() != 200)
      throw new AssertionError("kitchen not published: " + published.body());
    return id;
  }

  /**
   * A booking of {@code renterToken} from {@code start} to {@code end}, paid in full with the
   * offline provider and seen CONFIRMED (within 20 s); its id.
   */
  public String confirmedPaidBooking(
      String kitchenId, String renterToken, java.time.Instant start, java.time.Instant end) {
    Reply hold =
        post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renterToken,
            "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}");
    if (hold.status() != 201) throw new AssertionError("hold refused: " + hold.body());
    String id = hold.body().get("booking_id").asText();
    Reply payment = post("/v1/bookings/" + id + "/payment", renterToken, null);
    if (payment.status() != 200) throw new AssertionError("payment refused: " + payment.body());
    Reply paid =
        post(
            "/v1/bookings/" + id + "/payment/simulate", renterToken, "{\"outcome\":\"succeeded\"}");
    if (paid.status() != 200) throw new AssertionError("payment not settled: " + paid.body());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> get("/v1/bookings/" + id, renterToken).body().path("status").asText(),
            "CONFIRMED"::equals);
    return id;
  }

  public Reply get(String path, String token) {
    return send(request(path, token).GET());
  }

  public Reply post(String path, String token, String json, String... headers) {
    HttpRequest.Builder b =
        request(path, token)
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b);
  }

  public Reply send(String method, String path, String token, String json) {
    HttpRequest.Builder b =
        request(path, token)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    return send(b);
  }

  /**
   * Uploads a file to a kitchen's documents as the API takes it: {@code multipart/form-data} with
   * the declared {@code type} field, then the {@code file} part.
   */
  Reply upload(String token, String kitchenId, String type, String fileName, byte[] file) {
    String boundary = "hearth-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n"
                + type
                + "\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(
        request("/v1/kitchens/" + kitchenId + "/documents", token)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  /**
   * A small file that passes for a JPEG by its first bytes (how uploads are judged), different on
   * every call so that no two uploads share a content hash.
   */
  static byte[] distinctJpeg() {
    byte[] id = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    byte[] jpeg = new byte[id.length + 4];
    jpeg[0] = (byte) 0xFF;
    jpeg[1] = (byte) 0xD8;
    jpeg[2] = (byte) 0xFF;
    jpeg[3] = (byte) 0xE0;
    System.arraycopy(id, 0, jpeg, 4, id.length);
    return jpeg;
  }

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  Reply send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> response =
          client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      boolean json =
          response.headers().firstValue("Content-Type").map(t -> t.contains("json")).orElse(true);
      JsonNode body =
          response.body().isEmpty() || !json
              ? MAPPER.createObjectNode()
              : MAPPER.readTree(response.body());
      return new Reply(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpClient client() {
    return client;
  }

  public org.apache.pekko.actor.typed.ActorSystem<Void> system() {
    return node.system();
  }

  public int port() {
    return node.httpPort();
  }

  /** The Prometheus endpoint's port (-1 when it is off). */
  public int metricsPort() {
    return node.metricsPort();
  }

  public int managementPort() {
    return node.managementPort();
  }

  @Override
  public void close() {
    node.close();
  }
}
