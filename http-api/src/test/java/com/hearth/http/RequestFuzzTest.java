package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hearth.testing.TestDates;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Generated requests against every route of docs/openapi.yaml, through real HTTP to a node on
 * PostgreSQL: {@value #DEFAULT_PER_ROUTE} per route and method (jqwik's generators, a seed printed
 * and settable with {@code -Dhearth.fuzz.seed}), mixing valid and broken tokens (wrong roles, other
 * users, forged, overlong or mistyped claims, malformed headers), ids of one's own, of others and
 * made up, query strings with documented and unknown parameters, content types, idempotency keys,
 * and bodies taken from the document's example and then mutated (fields dropped, retyped, made
 * fractional, huge or deeply nested; unknown fields; truncated or random text).
 *
 * <p>Every answer must be below 500, or a 503 with Retry-After (a deliberate "busy" answer); every
 * refusal a problem document. A refusal must change nothing: for each group of requests that were
 * all refused (or only read), the journal and the payout batches are the same after as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestFuzzTest {

  private static final int DEFAULT_PER_ROUTE = 1_000;
  private static final int PER_ROUTE =
      Integer.getInteger("hearth.fuzz.per-route", DEFAULT_PER_ROUTE);
  private static final long SEED = Long.getLong("hearth.fuzz.seed", new SecureRandom().nextLong());
  private static final int BATCH = 64;
  private static final int IN_FLIGHT = 32;
  private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

  /**
   * Routes whose success is expensive (a full replay of the journal): fuzzed without a token that
   * may call them.
   */
  private static final List<String> HEAVY = List.of("/v1/admin/read-models/rebuild");

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private TestDatabase db;
  private TestNode node;
  private JsonNode spec;
  private final Map<String, String> tokens = new TreeMap<>();
  private String kitchenId;
  private String otherKitchenId;
  private String bookingId;
  private String otherBookingId;
  private Connection state;

  @BeforeAll
  void start() throws Exception {
    System.out.println(
        "[fuzz] seed "
            + SEED
            + " (-Dhearth.fuzz.seed="
            + SEED
            + " repeats this run), "
            + PER_ROUTE
            + " requests per route");
    spec = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../docs/openapi.yaml").toFile());
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
    node = TestNode.start(db, Map.of());
    tokens.put("renter", node.token("fuzz-renter", "renter"));
    tokens.put("other-renter", node.token("fuzz-renter-2", "renter"));
    tokens.put("host", node.token("fuzz-host", "host"));
    tokens.put("other-host", node.token("fuzz-host-2", "host"));
    tokens.put("admin", node.token("fuzz-admin", "admin"));
    tokens.put("operator", node.token("fuzz-operator", "operator"));
    String kitchen =
        "{\"name\":\"Fuzz kitchen\",\"time_zone\":\"Europe/Berlin\",\"hourly_rate_cents\":2500}";
    kitchenId = node.publishedKitchen(tokens.get("host"), kitchen);
    otherKitchenId = node.publishedKitchen(tokens.get("other-host"), kitchen);
    bookingId = hold(kitchenId, tokens.get("renter"), 3);
    otherBookingId = hold(otherKitchenId, tokens.get("other-renter"), 4);
  }

  private String hold(String kitchen, String token, int daysAhead) {
    Instant start =
        TestDates.at(
            TestDates.today(node.clock(), ZoneOffset.UTC).plusDays(daysAhead),
            10,
            0,
            ZoneOffset.UTC);
    TestNode.Reply held =
        node.post(
            "/v1/kitchens/" + kitchen + "/bookings",
            token,
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plusSeconds(7200) + "\"}");
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    return held.body().get("booking_id").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (state != null) state.close();
    node.close();
    db.close();
  }

  @TestFactory
  Stream<DynamicTest> generatedRequestsNeverGetA5xxAndRefusalsChangeNothing() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (String method : METHODS)
        if (path.getValue().has(method))
          tests.add(
              DynamicTest.dynamicTest(
                  method.toUpperCase() + " " + path.getKey(),
                  () -> fuzz(path.getKey(), method, path.getValue().get(method))));
    }
    assertThat(tests).hasSizeGreaterThan(20);
    return tests.stream();
  }

  // ---------------------------------------------------------------- one route

  record Fuzzed(String method, String path, String query, List<String[]> headers, String body) {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(method.toUpperCase()).append(' ').append(path);
      if (!query.isEmpty()) s.append('?').append(query);
      for (String[] h : headers)
        s.append("\n  ").append(h[0]).append(": ").append(abbreviate(h[1]));
      if (body != null) s.append("\n  body: ").append(abbreviate(body));
      return s.toString();
    }
  }

  record Answer(Fuzzed request, int status, String contentType, String retryAfter, String body) {}

  private void fuzz(String template, String method, JsonNode operation) throws Exception {
    // jqwik's generators outside a @Property (one dynamic test per route): they need a session.
    JqwikSession.start();
    try {
      fuzzInSession(template, method, operation);
    } finally {
      JqwikSession.finish();
    }
  }

  private void fuzzInSession(String template, String method, JsonNode operation) throws Exception {
    Random random = new Random(SEED ^ (method + template).hashCode());
    RandomGenerator<Fuzzed> requests = requests(template, method, operation).generator(1000);
    Map<Integer, Integer> statuses = new TreeMap<>();
    int unchangedChecks = 0;
    for (int sent = 0; sent < PER_ROUTE; sent += BATCH) {
      List<Fuzzed> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(BATCH, PER_ROUTE - sent); i++)
        batch.add(requests.next(random).value());
      String before = fingerprint();
      List<Answer> answers = send(batch);
      boolean changeAllowed = false;
      for (Answer a : answers) {
        statuses.merge(a.status(), 1, Integer::sum);
        boolean busy = a.status() == 503 && a.retryAfter() != null;
        assertThat(a.status() < 500 || busy)
            .as("seed %d: %s\nanswered %d %s", SEED, a.request(), a.status(), abbreviate(a.body()))
            .isTrue();
        if (a.status() >= 400)
          assertThat(a.contentType())
              .as(
                  "seed %d: %s\nanswered %d without a problem document",
                  SEED, a.request(), a.status())
              .contains("application/problem+json");
        // A read changes nothing, but for the payouts: the first read of a week makes its batch.
        if (a.status() < 400 && (!method.equals("get") || template.equals("/v1/admin/payouts")))
          changeAllowed = true;
      }
      if (!changeAllowed) {
        assertThat(fingerprint())
            .as(
                "seed %d: refused requests changed the state; the batch began with %s",
                SEED, batch.get(0))
            .isEqualTo(before);
        unchangedChecks++;
      }
    }
    System.out.printf(
        "[fuzz] %s %s: %s; %d groups all refused or read, each checked unchanged%n",
        method.toUpperCase(), template, statuses, unchangedChecks);
    assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(PER_ROUTE);
  }

  private List<Answer> send(List<Fuzzed> batch) throws Exception {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<Answer>> futures = new ArrayList<>();
    for (Fuzzed f : batch) {
      inFlight.acquire();
      HttpRequest.Builder b =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:"
                          + node.port()
                          + f.path()
                          + (f.query().isEmpty() ? "" : "?" + f.query())))
              .timeout(Duration.ofSeconds(30))
              .method(
                  f.method().toUpperCase(),
                  f.body() == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(f.body()));
      for (String[] h : f.headers()) b.header(h[0], h[1]);
      futures.add(
          client
              .sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
              .handle(
                  (r, e) -> {
                    inFlight.release();
                    if (e != null)
                      throw new AssertionError(
                          "seed " + SEED + ": no answer to " + f + ": " + e, e);
                    return new Answer(
                        f,
                        r.statusCode(),
                        r.headers().firstValue("Content-Type").orElse(""),
                        r.headers().firstValue("Retry-After").orElse(null),
                        r.body());
                  }));
    }
    List<Answer> answers = new ArrayList<>();
    for (CompletableFuture<Answer> future : futures) answers.add(future.join());
    return answers;
  }

  /**
   * What a refused request must not change: the entities' events (persistence ids {@code Type|id};
   * sharding's own records of which entities run are not the caller's doing) and the payout
   * batches.
   */
  private String fingerprint() throws Exception {
    if (state == null) state = db.connect();
    try (Statement s = state.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM event_journal WHERE persistence_id LIKE '%|%'),"
                    + " (SELECT COUNT(*) FROM payout_batches)")) {
      rs.next();
      return "domain events " + rs.getLong(1) + ", payout batches " + rs.getLong(2);
    }
  }

  // ---------------------------------------------------------------- generators

  private Arbitrary<Fuzzed> requests(String template, String method, JsonNode operation) {
    // A document id names its kitchen (doc_ + the kitchen id's 32 hex digits + 16 more), like a
    // booking id.
    Arbitrary<String> path =
        ids(template)
            .map(
                id ->
                    template
                        .replace("{id}", id)
                        .replace(
                            "{document_id}",
                            id.length() == 36
                                ? "doc_" + id.replace("-", "") + "0123456789abcdef"
                                : "doc_" + id));
    Arbitrary<String> query = query(parameters(operation, "query"));
    Arbitrary<List<String[]>> headers =
        Combinators.combine(
                authorization(template),
                contentType(),
                optionalHeader("Idempotency-Key", 0.3),
                optionalHeader("X-Request-Id", 0.1),
                optionalHeader("Stripe-Signature", template.contains("webhooks") ? 0.7 : 0.02))
            .as(
                (auth, type, key, id, sig) -> {
                  List<String[]> all = new ArrayList<>();
                  for (String[] h : java.util.Arrays.asList(auth, type, key, id, sig))
                    if (h != null) all.add(h);
                  return all;
                });
    Arbitrary<String> body =
        method.equals("get") || method.equals("delete")
            ? Arbitraries.<String>frequencyOf(
                Tuple2Of.of(9, Arbitraries.<String>just(null)), Tuple2Of.of(1, body(operation)))
            : body(operation);
    Arbitrary<String> verb =
        Arbitraries.frequency(Tuple2Of.pair(19, method), Tuple2Of.pair(1, "put"));
    return Combinators.combine(verb, path, query, headers, body).as(Fuzzed::new);
  }

  /**
   * A small bridge to jqwik's frequency tuples, so the generators above read as weights and
   * choices.
   */
  private static final class Tuple2Of {
    static <T> net.jqwik.api.Tuple.Tuple2<Integer, T> pair(int weight, T value) {
      return net.jqwik.api.Tuple.of(weight, value);
    }

    static <T> net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends T>> of(
        int weight, Arbitrary<? extends T> value) {
      return net.jqwik.api.Tuple.of(weight, value);
    }
  }

  private Arbitrary<String> ids(String template) {
    boolean booking = template.startsWith("/v1/bookings");
    String own = booking ? bookingId : kitchenId;
    String others = booking ? otherBookingId : otherKitchenId;
    Arbitrary<String> madeUp =
        Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(80),
                Arbitraries.strings()
                    .withChars("0123456789abcdef-_.%/")
                    .ofMinLength(1)
                    .ofMaxLength(300),
                Arbitraries.of(
                    "..",
                    ".",
                    "bk_",
                    "null",
                    "0",
                    "-1",
                    "' OR '1'='1",
                    own.toUpperCase(),
                    own + "x",
                    own.substring(1),
                    "bk_" + "f".repeat(48),
                    "%00"))
            .map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    return Arbitraries.<String>frequencyOf(
        Tuple2Of.of(6, Arbitraries.just(own)),
        Tuple2Of.of(2, Arbitraries.just(others)),
        Tuple2Of.of(3, madeUp));
  }

  private static List<JsonNode> parameters(JsonNode operation, String in) {
    List<JsonNode> found = new ArrayList<>();
    operation.path("parameters").forEach(p -> found.add(p));
    return found.stream()
        .filter(p -> p.has("name") ? in.equals(p.path("in").asText()) : true)
        .toList();
  }

  private Arbitrary<String> query(List<JsonNode> documented) {
    List<String> names =
        new ArrayList<>(
            List.of("from", "to", "limit", "cursor", "status", "city", "week", "unknown"));
    for (JsonNode p : documented) {
      JsonNode resolved = resolve(p);
      if ("query".equals(resolved.path("in").asText())) names.add(resolved.path("name").asText());
    }
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(
                "2026-12-01T00:00:00Z",
                "2030-01-01T00:00:00Z",
                "2026-W48",
                "2026-W53",
                "1",
                "0",
                "-1",
                "21",
                "100000000000000000000",
                "1.5",
                "held,confirmed",
                "HELD",
                "published,paused",
                "new york",
                "true",
                ""),
            Arbitraries.strings().ofMaxLength(60),
            Arbitraries.strings().withChars("0123456789-:TZW.,").ofMaxLength(40));
    Arbitrary<String> pair =
        Combinators.combine(Arbitraries.of(names), value)
            .as((n, v) -> n + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
    return pair.list().ofMaxSize(5).map(pairs -> String.join("&", pairs));
  }

  private JsonNode resolve(JsonNode parameter) {
    String ref = parameter.path("$ref").asText("");
    if (!ref.startsWith("#/components/parameters/")) return parameter;
    return spec.path("components")
        .path("parameters")
        .path(ref.substring("#/components/parameters/".length()));
  }

  private Arbitrary<String[]> authorization(String template) {
    List<String> valid = new ArrayList<>(tokens.keySet());
    if (HEAVY.contains(template)) valid.removeAll(List.of("admin", "operator"));
    String renter = tokens.get("renter");
    Arbitrary<String> good = Arbitraries.of(valid).map(role -> "Bearer " + tokens.get(role));
    Arbitrary<String> broken =
        Arbitraries.oneOf(
            Arbitraries.of(
                "Bearer " + renter + ";",
                "Bearer " + renter + ",",
                "bearer " + renter,
                "Bearer  " + renter,
                "Bearer",
                "Bearer ",
                "Basic dXNlcjpwYXNz",
                renter,
                "Bearer " + renter.substring(0, renter.length() - 3),
                "Bearer "
                    + forged(
                        "{\"alg\":\"none\",\"typ\":\"JWT\"}",
                        claims("fuzz-renter", "[\"renter\"]", 3600),
                        false),
                "Bearer " + signed(claims("fuzz-renter", "[null]", 3600)),
                "Bearer " + signed(claims("fuzz-renter", "[\"admın\"]", 3600)),
                "Bearer " + signed(claims("fuzz-renter", "[\"ADMIN\"]", 3600)),
                "Bearer " + signed(claims("fuzz-renter", "\"admin\"", 3600)),
                "Bearer " + signed(claims("x".repeat(300), "[\"renter\"]", 3600)),
                "Bearer " + signed(claims("", "[\"renter\"]", 3600)),
                "Bearer " + signed(claims("fuzz-renter", "[\"renter\"]", 10L * 365 * 24 * 3600)),
                "Bearer " + signed(claims("fuzz-renter", "[\"renter\"]", -3600)),
                "Bearer "
                    + signed("{\"sub\":\"fuzz-renter\",\"roles\":[\"renter\"],\"exp\":1.5e12}"),
                "Bearer "
                    + signed(
                        "{\"sub\":42,\"roles\":[\"renter\"],\"exp\":"
                            + (Instant.now().getEpochSecond() + 3600)
                            + "}"),
                "Bearer " + signed("{\"sub\":\"fuzz-renter\",\"roles\":[\"renter\"]}")),
            Arbitraries.strings().withCharRange('!', '~').ofMaxLength(200).map(s -> "Bearer " + s));
    return Arbitraries.<String>frequencyOf(
            Tuple2Of.of(7, good),
            Tuple2Of.of(2, broken),
            Tuple2Of.of(1, Arbitraries.<String>just(null)))
        .map(value -> value == null ? null : new String[] {"Authorization", value});
  }

  private String claims(String sub, String roles, long expiresIn) {
    long now = node.clock().instant().getEpochSecond();
    return "{\"sub\":"
        + json.valueToTree(sub)
        + ",\"roles\":"
        + roles
        + ",\"iat\":"
        + now
        + ",\"exp\":"
        + (now + expiresIn)
        + "}";
  }

  private static String signed(String claims) {
    return forged("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, true);
  }

  private static String forged(String header, String claims, boolean sign) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String unsigned =
        b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    if (!sign) return unsigned + ".";
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(TestNode.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return unsigned
          + "."
          + b64.encodeToString(mac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Arbitrary<String[]> contentType() {
    return Arbitraries.frequency(
            Tuple2Of.pair(16, "application/json"),
            Tuple2Of.pair(1, "text/plain"),
            Tuple2Of.pair(1, "application/json; charset=ISO-8859-1"),
            Tuple2Of.pair(1, "multipart/form-data; boundary=x"),
            Tuple2Of.pair(1, "application/x-www-form-urlencoded"),
            Tuple2Of.pair(1, ""))
        .map(type -> type.isEmpty() ? null : new String[] {"Content-Type", type});
  }

  private static Arbitrary<String[]> optionalHeader(String name, double probability) {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .ofMinLength(1)
        .ofMaxLength(300)
        .map(v -> v.strip().isEmpty() ? "k" : v.strip())
        .injectNull(1.0 - probability)
        .map(v -> v == null ? null : new String[] {name, v});
  }

  private Arbitrary<String> body(JsonNode operation) {
    JsonNode example =
        operation.path("requestBody").path("content").path("application/json").path("example");
    ObjectNode base = example.isObject() ? (ObjectNode) example : json.createObjectNode();
    List<String> fields = new ArrayList<>();
    base.fieldNames().forEachRemaining(fields::add);
    fields.add("unknown_field");
    Arbitrary<String> anyValue =
        Arbitraries.oneOf(
            Arbitraries.of(
                "null",
                "true",
                "\"\"",
                "0",
                "-1",
                "4500.99",
                "1.9",
                "1e400",
                "-0",
                "9223372036854775808",
                "[]",
                "{}",
                "[null]",
                "\"2026-13-45T99:99:99Z\"",
                "\"2030-01-01T00:00:00Z\"",
                "\"Europe/Nowhere\"",
                "\"" + "x".repeat(5000) + "\"",
                "[".repeat(2000) + "]".repeat(2000)),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf),
            Arbitraries.strings().ofMaxLength(50).map(s -> json.valueToTree(s).toString()));
    Arbitrary<String> mutated =
        Combinators.combine(Arbitraries.of(fields), anyValue, Arbitraries.integers().between(0, 3))
            .as(
                (field, value, how) -> {
                  String base64 = base.toString();
                  return switch (how) {
                    case 0 -> { // a field retyped or given an odd value
                      ObjectNode copy = base.deepCopy();
                      copy.remove(field);
                      String rest = copy.toString();
                      yield "{\""
                          + field
                          + "\":"
                          + value
                          + (rest.equals("{}") ? "}" : "," + rest.substring(1));
                    }
                    case 1 -> { // a field dropped
                      ObjectNode copy = base.deepCopy();
                      copy.remove(field);
                      yield copy.toString();
                    }
                    case 2 -> base64 + "," + value; // trailing garbage
                    default ->
                        "{\"" + field + "\":" + value + ",\"" + field + "\":" + value
                            + "}"; // a field twice
                  };
                });
    Arbitrary<String> truncated =
        Arbitraries.integers()
            .between(0, Math.max(0, base.toString().length() - 1))
            .map(n -> base.toString().substring(0, n));
    return Arbitraries.<String>frequencyOf(
        Tuple2Of.of(2, Arbitraries.just(base.toString())),
        Tuple2Of.of(10, mutated),
        Tuple2Of.of(2, truncated),
        Tuple2Of.of(2, Arbitraries.strings().ofMaxLength(200)),
        Tuple2Of.of(1, Arbitraries.just("")));
  }

  private static String abbreviate(String s) {
    if (s == null) return "null";
    return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " characters)";
  }
}
