package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import com.hearth.http.observability.JsonLinesEncoder;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The built-in accounts over real HTTP, run once per database backend: sign-up, sign-in, the access
 * token on an existing route, refresh rotation and reuse detection, sign-out, the refresh cookie,
 * the failed sign-in limit, an admin made with the command line, and no password, hash or token in
 * answers or logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccountsApiContract {

  static final String PASSWORD = "correct horse battery";

  TestDatabase db;
  TestNode node;

  abstract TestDatabase.Backend backend();

  @BeforeAll
  void startNode() {
    db = TestDatabase.create(backend());
    node = TestNode.start(db, Map.of());
  }

  @AfterAll
  void stopNode() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
  }

  Reply signUp(String email, String password, String name, String role) {
    return node.post(
        "/v1/accounts",
        null,
        "{\"email\":\""
            + email
            + "\",\"password\":\""
            + password
            + "\",\"name\":\""
            + name
            + "\",\"role\":\""
            + role
            + "\"}");
  }

  Reply signIn(String email, String password) {
    return node.post(
        "/v1/sessions", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
  }

  Reply refresh(String refreshToken) {
    return node.post("/v1/sessions/refresh", null, "{\"refreshToken\":\"" + refreshToken + "\"}");
  }

  /** A POST with only the {@code hearth_refresh} cookie. */
  Reply withCookie(String path, String refreshToken) {
    return node.send(
        node.request(path, null)
            .header("Cookie", "hearth_refresh=" + refreshToken)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void aHostSignsUpSignsInAndItsAccessTokenCreatesAKitchen() {
    String email = unique("host");
    Reply created = signUp(email, PASSWORD, "Hannah Host", "host");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(id).matches("acct_[0-9a-f]{32}").matches(TokenClaims.SUBJECT);
    assertThat(created.body().get("email").asText()).isEqualTo(email);
    assertThat(created.body().get("name").asText()).isEqualTo("Hannah Host");
    assertThat(created.body().get("role").asText()).isEqualTo("host");
    assertThat(created.raw().body()).doesNotContain(PASSWORD).doesNotContain("argon2");

    Reply session = signIn(email.toUpperCase(java.util.Locale.ROOT), PASSWORD);
    assertThat(session.status()).as(session.body().toString()).isEqualTo(200);
    JsonNode body = session.body();
    assertThat(body.get("tokenType").asText()).isEqualTo("Bearer");
    assertThat(body.get("expiresIn").asLong()).isEqualTo(900);
    assertThat(body.get("refreshToken").asText()).startsWith("hrt_");
    assertThat(body.get("account").get("id").asText()).isEqualTo(id);
    assertThat(body.get("account").get("role").asText()).isEqualTo("host");
    assertThat(body.get("account").has("password_hash")).isFalse();
    assertThat(session.raw().body()).doesNotContain(PASSWORD).doesNotContain("argon2");
    assertThat(session.header("Cache-Control")).isEqualTo("no-store");
    String cookie = session.header("Set-Cookie");
    assertThat(cookie)
        .startsWith("hearth_refresh=" + body.get("refreshToken").asText() + ";")
        .contains("; HttpOnly", "; SameSite=Strict", "; Path=/v1/sessions", "; Max-Age=2592000")
        .doesNotContain("Secure");

    String access = body.get("accessToken").asText();
    Reply kitchen =
        node.post(
            "/v1/kitchens",
            access,
            "{\"name\":\"Account kitchen\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":2500}");
    assertThat(kitchen.status()).as(kitchen.body().toString()).isEqualTo(201);
    assertThat(kitchen.body().get("host_id").asText()).isEqualTo(id);
    // The renter role it does not have is refused as for any token.
    Reply hold =
        node.post(
            "/v1/kitchens/" + kitchen.body().get("kitchen_id").asText() + "/bookings",
            access,
            "{\"start\":\"2030-01-01T10:00:00Z\",\"end\":\"2030-01-01T11:00:00Z\"}");
    assertThat(hold.status()).isEqualTo(403);
  }

  @Test
  void anEmailTakenInAnySpellingIs409() {
    String email = unique("dup");
    assertThat(signUp(email, PASSWORD, "First", "renter").status()).isEqualTo(201);
    Reply again =
        signUp("  " + email.toUpperCase(java.util.Locale.ROOT) + " ", PASSWORD, "Second", "host");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("EMAIL_TAKEN");
  }

  @Test
  void badSignUpsAre400AndChangeNothing() throws Exception {
    String email = unique("bad");
    Reply badEmail = signUp("not-an-email", PASSWORD, "N", "renter");
    assertThat(badEmail.status()).isEqualTo(400);
    assertThat(badEmail.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(badEmail.body().get("errors").get(0).get("field").asText()).isEqualTo("email");
    Reply shortPassword = signUp(email, "short", "N", "renter");
    assertThat(shortPassword.status()).isEqualTo(400);
    assertThat(shortPassword.code()).isEqualTo("WEAK_PASSWORD");
    assertThat(signUp(email, email, "N", "renter").code()).isEqualTo("WEAK_PASSWORD");
    assertThat(signUp(email, "x".repeat(129), "N", "renter").code()).isEqualTo("WEAK_PASSWORD");
    for (String role : List.of("admin", "operator", "ADMIN", "")) {
      Reply badRole = signUp(email, PASSWORD, "N", role);
      assertThat(badRole.status()).as(role).isEqualTo(400);
      assertThat(badRole.body().get("errors").get(0).get("field").asText()).isEqualTo("role");
    }
    Reply extra =
        node.post(
            "/v1/accounts",
            null,
            "{\"email\":\""
                + email
                + "\",\"password\":\""
                + PASSWORD
                + "\",\"name\":\"N\","
                + "\"role\":\"renter\",\"roles\":[\"admin\"]}");
    assertThat(extra.status()).isEqualTo(400);
    assertThat(accountsWithEmail(email)).isZero();
  }

  @Test
  void aWrongPasswordAndAnUnknownEmailGetTheSame401() {
    String email = unique("who");
    assertThat(signUp(email, PASSWORD, "Who", "renter").status()).isEqualTo(201);
    Reply wrong = signIn(email, PASSWORD + "!");
    Reply unknown = signIn(unique("nobody"), PASSWORD);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.code()).isEqualTo("BAD_CREDENTIALS");
    assertThat(wrong.body()).isEqualTo(unknown.body());
    assertThat(wrong.header("Set-Cookie")).isNull();
  }

  @Test
  void failedSignInsOfOneAccountAreLimitedWithRetryAfter() {
    String email = unique("limited");
    assertThat(signUp(email, PASSWORD, "Limited", "renter").status()).isEqualTo(201);
    for (int i = 0; i < 5; i++)
      assertThat(signIn(email, "wrong password " + i).status()).isEqualTo(401);
    Reply limited = signIn(email, PASSWORD);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.code()).isEqualTo("RATE_LIMITED");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
  }

  @Test
  void refreshRotatesAndAReusedTokenRevokesTheFamily() {
    String email = unique("refresh");
    assertThat(signUp(email, PASSWORD, "Ray Fresh", "renter").status()).isEqualTo(201);
    String first = signIn(email, PASSWORD).body().get("refreshToken").asText();

    Reply second = refresh(first);
    assertThat(second.status()).as(second.body().toString()).isEqualTo(200);
    String secondToken = second.body().get("refreshToken").asText();
    assertThat(secondToken).isNotEqualTo(first);
    assertThat(second.body().get("account").get("email").asText()).isEqualTo(email);
    assertThat(node.get("/v1/me/bookings", second.body().get("accessToken").asText()).status())
        .isEqualTo(200);

    // The cookie alone refreshes too.
    Reply third = withCookie("/v1/sessions/refresh", secondToken);
    assertThat(third.status()).isEqualTo(200);
    String thirdToken = third.body().get("refreshToken").asText();

    // The first token again: someone copied it. It is refused, and so is the family's newest.
    Reply reused = refresh(first);
    assertThat(reused.status()).isEqualTo(401);
    assertThat(reused.code()).isEqualTo("INVALID_REFRESH_TOKEN");
    assertThat(refresh(thirdToken).status()).isEqualTo(401);
    // Another sign-in is another family, unaffected.
    String other = signIn(email, PASSWORD).body().get("refreshToken").asText();
    assertThat(refresh(other).status()).isEqualTo(200);
    assertThat(refresh("hrt_" + "A".repeat(43)).status()).isEqualTo(401);
    assertThat(refresh("garbage").status()).isEqualTo(401);
  }

  @Test
  void signOutRevokesTheFamilyAndClearsTheCookie() throws Exception {
    String email = unique("bye");
    assertThat(signUp(email, PASSWORD, "Bye", "host").status()).isEqualTo(201);
    String token = signIn(email, PASSWORD).body().get("refreshToken").asText();
    Reply out = withCookie("/v1/sessions/sign-out", token);
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.header("Set-Cookie"))
        .startsWith("hearth_refresh=;")
        .contains("Max-Age=0", "Path=/v1/sessions");
    assertThat(refresh(token).status()).isEqualTo(401);

    String bodyToken = signIn(email, PASSWORD).body().get("refreshToken").asText();
    assertThat(
            node.post("/v1/sessions/sign-out", null, "{\"refreshToken\":\"" + bodyToken + "\"}")
                .status())
        .isEqualTo(204);
    assertThat(refresh(bodyToken).status()).isEqualTo(401);
    assertThat(node.post("/v1/sessions/sign-out", null, null).status()).isEqualTo(400);
    // Only the hash of a refresh token is stored.
    try (Connection c = db.connect();
        ResultSet r = c.createStatement().executeQuery("SELECT token_hash FROM refresh_tokens")) {
      List<String> hashes = new ArrayList<>();
      while (r.next()) hashes.add(r.getString(1));
      assertThat(hashes).contains(Accounts.sha256(token)).doesNotContain(token, bodyToken);
    }
  }

  @Test
  void theCommandLineMakesAnAdminWhoSignsIn() throws Exception {
    String email = unique("admin");
    Path err = db.dataDir().resolve("admin-cli-err");
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "admin",
            "create",
            "--email",
            email,
            "--name",
            "Ada Admin",
            "--url",
            "http://127.0.0.1:" + node.port());
    builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
    builder.environment().put("HEARTH_JWT_SECRET", TestNode.SECRET);
    builder.environment().put("HEARTH_DATA_DIR", db.dataDir().resolve("cli").toString());
    builder.redirectError(err.toFile());
    Process process = builder.start();
    process.getOutputStream().write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    assertThat(out).contains("\"role\":\"admin\"").doesNotContain(PASSWORD);
    assertThat(process.info().arguments().orElse(new String[0])).doesNotContain(PASSWORD);

    Reply session = signIn(email, PASSWORD);
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.body().get("account").get("role").asText()).isEqualTo("admin");
    assertThat(node.get("/v1/admin/cluster", session.body().get("accessToken").asText()).status())
        .isEqualTo(200);

    // The admin route is for admins and operators only; a host's token is refused.
    String host = node.token("acct-host", "host");
    Reply forbidden =
        node.post(
            "/v1/admin/accounts",
            host,
            "{\"email\":\""
                + unique("x")
                + "\",\"password\":\""
                + PASSWORD
                + "\","
                + "\"name\":\"X\",\"role\":\"admin\"}");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(node.post("/v1/admin/accounts", null, "{}").status()).isEqualTo(401);
  }

  @Test
  void noPasswordHashOrTokenReachesTheLogs() throws Exception {
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
    List<String> secrets = new ArrayList<>(List.of(PASSWORD));
    try {
      String email = unique("quiet");
      assertThat(signUp(email, PASSWORD, "Quiet", "renter").status()).isEqualTo(201);
      Reply session = signIn(email, PASSWORD);
      secrets.add(session.body().get("accessToken").asText());
      String first = session.body().get("refreshToken").asText();
      secrets.add(first);
      Reply next = refresh(first);
      secrets.add(next.body().get("refreshToken").asText());
      secrets.add(next.body().get("accessToken").asText());
      refresh(first); // reuse: logged as a warning, by account id only
      signIn(email, "a wrong password here");
      withCookie("/v1/sessions/sign-out", next.body().get("refreshToken").asText());
    } finally {
      root.detachAppender(appender);
      access.setLevel(accessBefore);
      appender.stop();
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).contains("/v1/sessions");
    for (String secret : secrets) assertThat(logs).doesNotContain(secret);
    assertThat(logs).doesNotContain("argon2").doesNotContain("a wrong password here");
    try (Connection c = db.connect();
        ResultSet r = c.createStatement().executeQuery("SELECT password_hash FROM accounts")) {
      while (r.next()) {
        assertThat(r.getString(1)).startsWith("$argon2id$");
        assertThat(logs).doesNotContain(r.getString(1));
      }
    }
  }

  long accountsWithEmail(String email) throws Exception {
    try (Connection c = db.connect();
        var s = c.prepareStatement("SELECT COUNT(*) FROM accounts WHERE email_key = ?")) {
      s.setString(1, email.toLowerCase(java.util.Locale.ROOT));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
