package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import com.hearth.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token checks, and the cache of verified tokens that must never outlive a token or admit a bad
 * one.
 */
class JwtAuthTest {

  private static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  private final TestClock clock = TestClock.stoppedAt(T0);
  private final JwtAuth auth = new JwtAuth(SECRET, clock);

  @Test
  void aValidTokenNamesItsSubjectAndKnownRoles() {
    String token =
        auth.mint("renter-1", List.of("renter", "wizard"), "Ana", null, Duration.ofHours(1), clock);

    Actor actor = auth.verify(token).orElseThrow();

    assertThat(actor.id()).isEqualTo("renter-1");
    assertThat(actor.has(Role.RENTER)).isTrue();
    assertThat(actor.roles()).containsExactly(Role.RENTER);
    assertThat(actor.name()).isEqualTo("Ana");
  }

  @Test
  void aVerifiedTokenIsAnsweredFromTheCacheUntilItsTimeToLive() {
    String token = auth.mint("renter-1", List.of("renter"), Duration.ofHours(1), clock);
    Actor first = auth.verify(token).orElseThrow();

    clock.advance(JwtAuth.CACHE_TTL.minusSeconds(1));
    assertThat(auth.verify(token).orElseThrow()).isSameAs(first);

    clock.advance(Duration.ofSeconds(1));
    Actor again = auth.verify(token).orElseThrow();
    assertThat(again).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void aCachedTokenLapsesAtItsExpiry() {
    String token = auth.mint("renter-1", List.of("renter"), Duration.ofSeconds(20), clock);
    assertThat(auth.verify(token)).isPresent();

    // Past exp but inside the verifier's 30 s leeway: verified again in full, not served from the
    // cache.
    clock.advance(Duration.ofSeconds(25));
    Actor withinLeeway = auth.verify(token).orElseThrow();
    assertThat(auth.verify(token).orElseThrow()).isNotSameAs(withinLeeway);

    clock.advance(Duration.ofSeconds(30));
    assertThat(auth.verify(token)).isEmpty();
  }

  @Test
  void forgedIncompleteAndTamperedTokensAreRefusedEveryTime() {
    String forged =
        new JwtAuth("another-secret-that-is-long-enough-000000", clock)
            .mint("admin-1", List.of("admin"), Duration.ofHours(1), clock);
    String noRoles = auth.mint("renter-1", List.of(), Duration.ofHours(1), clock);
    String good = auth.mint("renter-1", List.of("renter"), Duration.ofHours(1), clock);
    assertThat(auth.verify(good)).isPresent();
    String tampered = good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA");

    for (int i = 0; i < 2; i++) {
      assertThat(auth.verify(forged)).isEmpty();
      assertThat(auth.verify(tampered)).isEmpty();
      assertThat(auth.verify("not.a.token")).isEmpty();
    }
    assertThat(auth.verify(noRoles)).map(Actor::roles).contains(java.util.Set.of());
  }

  @Test
  void theCacheStaysBoundedAndKeepsAnsweringCorrectly() {
    Optional<Actor> last = Optional.empty();
    for (int i = 0; i < JwtAuth.CACHE_MAX_ENTRIES + 10; i++)
      last = auth.verify(auth.mint("renter-" + i, List.of("renter"), Duration.ofHours(1), clock));
    assertThat(last.map(Actor::id)).contains("renter-" + (JwtAuth.CACHE_MAX_ENTRIES + 9));
    assertThat(auth.cachedTokens()).isLessThanOrEqualTo(JwtAuth.CACHE_MAX_ENTRIES);
  }

  @Test
  void aSecretShorterThan32BytesIsRefusedAndOneOf32Accepted() {
    // 31 ASCII characters are 31 bytes; "é" is two bytes in UTF-8, so 16 of them are 32 bytes.
    assertThatThrownBy(() -> new JwtAuth("x".repeat(31), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
    JwtAuth shortest = new JwtAuth("x".repeat(32), clock);
    assertThat(shortest.verify(shortest.mint("r", List.of("renter"), Duration.ofHours(1), clock)))
        .isPresent();
    assertThat(new JwtAuth("\u00e9".repeat(16), clock)).isNotNull();
    assertThatThrownBy(() -> new JwtAuth("\u00e9".repeat(15) + "x", clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingSecretIsMadeOnceInAFileOnlyItsOwnerMayRead(@TempDir Path dataDir) throws Exception {
    String made = JwtAuth.resolveSecret("", dataDir);
    Path file = dataDir.resolve("jwt-secret");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    // 48 random bytes in unpadded base64url are 64 characters.
    assertThat(made).hasSize(64).matches("[A-Za-z0-9_-]+");
    assertThat(Files.readString(file)).isEqualTo(made + "\n");
    assertThat(JwtAuth.resolveSecret(null, dataDir)).isEqualTo(made);
    assertThat(JwtAuth.resolveSecret("configured-" + SECRET, dataDir))
        .isEqualTo("configured-" + SECRET);
    assertThat(JwtAuth.resolveSecret("", Files.createDirectory(dataDir.resolve("other"))))
        .isNotEqualTo(made);
  }

  @Test
  void theSecretsDirectoryIsMadeOrNarrowedToItsOwnerBeforeTheSecretIsWritten(@TempDir Path tmp)
      throws Exception {
    Path fresh = tmp.resolve("a/data");
    JwtAuth.resolveSecret("", fresh);
    assertThat(Files.getPosixFilePermissions(fresh))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    JwtAuth.resolveSecret("", open);
    assertThat(Files.getPosixFilePermissions(open))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(open.resolve("jwt-secret")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    // Created with its permissions in the same call: an existing file is never reused for a new
    // secret.
    Path taken = tmp.resolve("taken");
    OwnerOnly.writeNewFile(taken, "first");
    assertThatThrownBy(() -> OwnerOnly.writeNewFile(taken, "second"))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    assertThat(Files.readString(taken)).isEqualTo("first");
  }

  @Test
  void expiryAllowsUnderThirtySecondsOfClockSkewAndNoMore() {
    String token = auth.mint("renter-1", List.of("renter"), Duration.ofMinutes(5), clock);
    // A fresh verifier per instant: the cache of verified tokens must not answer for it.
    assertThat(verifierAt(T0.plus(Duration.ofMinutes(5)).plusSeconds(29)).verify(token))
        .isPresent();
    assertThat(verifierAt(T0.plus(Duration.ofMinutes(5)).plusSeconds(31)).verify(token)).isEmpty();
  }

  @Test
  void aTokenIssuedInTheFutureIsAcceptedWithinTheSkewOnly() {
    String early =
        signed(
            JWT.create()
                .withSubject("renter-1")
                .withClaim("roles", List.of("renter"))
                .withIssuedAt(T0.plusSeconds(30))
                .withExpiresAt(T0.plus(Duration.ofHours(1))));
    String tooEarly =
        signed(
            JWT.create()
                .withSubject("renter-1")
                .withClaim("roles", List.of("renter"))
                .withIssuedAt(T0.plusSeconds(31))
                .withExpiresAt(T0.plus(Duration.ofHours(1))));
    String notYet =
        signed(
            JWT.create()
                .withSubject("renter-1")
                .withClaim("roles", List.of("renter"))
                .withNotBefore(T0.plusSeconds(31))
                .withExpiresAt(T0.plus(Duration.ofHours(1))));
    assertThat(auth.verify(early)).isPresent();
    assertThat(auth.verify(tooEarly)).isEmpty();
    assertThat(auth.verify(notYet)).isEmpty();
  }

  @Test
  void aTokenWithoutSubjectExpiryOrRolesIsRefused() {
    Instant exp = T0.plus(Duration.ofHours(1));
    assertThat(
            auth.verify(
                signed(JWT.create().withClaim("roles", List.of("renter")).withExpiresAt(exp))))
        .as("no sub")
        .isEmpty();
    assertThat(
            auth.verify(
                signed(
                    JWT.create()
                        .withSubject(" ")
                        .withClaim("roles", List.of("renter"))
                        .withExpiresAt(exp))))
        .as("blank sub")
        .isEmpty();
    assertThat(
            auth.verify(
                signed(JWT.create().withSubject("renter-1").withClaim("roles", List.of("renter")))))
        .as("no exp")
        .isEmpty();
    assertThat(auth.verify(signed(JWT.create().withSubject("renter-1").withExpiresAt(exp))))
        .as("no roles")
        .isEmpty();
    assertThat(
            auth.verify(
                signed(
                    JWT.create()
                        .withSubject("renter-1")
                        .withClaim("roles", "renter")
                        .withExpiresAt(exp))))
        .as("roles not a list")
        .isEmpty();
    assertThat(
            auth.verify(
                signed(
                    JWT.create()
                        .withSubject("renter-1")
                        .withClaim("roles", List.of("renter"))
                        .withExpiresAt(exp))))
        .as("the same token with every claim")
        .isPresent();
  }

  @Test
  void unknownClaimsAndRolesGrantNothingAndAreIgnored() {
    String token =
        signed(
            JWT.create()
                .withSubject("renter-1")
                .withClaim("roles", List.of("renter", "superuser", "SYSTEM"))
                .withClaim("admin", true)
                .withClaim("role", "admin")
                .withExpiresAt(T0.plus(Duration.ofHours(1))));

    Actor actor = auth.verify(token).orElseThrow();

    assertThat(actor.roles()).containsExactly(Role.RENTER);
    assertThat(actor.id()).isEqualTo("renter-1");
  }

  @Test
  void blankContactClaimsAreLeftOutAndOversizedOrMistypedOnesRefuseTheToken() {
    Actor blank =
        auth.verify(auth.mint("host-1", List.of("host"), " ", null, Duration.ofHours(1), clock))
            .orElseThrow();
    assertThat(blank.name()).isNull();
    assertThat(blank.email()).isNull();
    Actor longest =
        auth.verify(
                auth.mint(
                    "host-1",
                    List.of("host"),
                    "n".repeat(200),
                    "e".repeat(320),
                    Duration.ofHours(1),
                    clock))
            .orElseThrow();
    assertThat(longest.name()).hasSize(200);
    assertThat(longest.email()).hasSize(320);
    assertThat(
            auth.verify(
                auth.mint(
                    "host-1", List.of("host"), "n".repeat(201), null, Duration.ofHours(1), clock)))
        .isEmpty();
    assertThat(
            auth.verify(
                auth.mint(
                    "host-1", List.of("host"), null, "e".repeat(321), Duration.ofHours(1), clock)))
        .isEmpty();
    assertThat(
            auth.verify(
                auth.mint(
                    "host-1", List.of("host"), "Ana\nAdmin", null, Duration.ofHours(1), clock)))
        .as("a control character")
        .isEmpty();
    assertThat(auth.verify(raw("{\"sub\":\"host-1\",\"roles\":[\"host\"],\"exp\":%d,\"name\":5}")))
        .as("a number")
        .isEmpty();
    assertThat(
            auth.verify(
                raw("{\"sub\":\"host-1\",\"roles\":[\"host\"],\"exp\":%d,\"email\":{\"a\":1}}")))
        .isEmpty();
  }

  @Test
  void roleNamesAreExactAndNeverCaseFolded() {
    for (String lookalike :
        List.of("ADMIN", "Admin", "adm\u0131n", "admin ", " admin", "\u0430dmin", "admin\u0000"))
      assertThat(
              auth.verify(auth.mint("u-1", List.of(lookalike), Duration.ofHours(1), clock))
                  .orElseThrow()
                  .roles())
          .as(lookalike)
          .isEmpty();
    assertThat(
            auth.verify(auth.mint("u-1", List.of("admin"), Duration.ofHours(1), clock))
                .orElseThrow()
                .isAdmin())
        .isTrue();
  }

  @Test
  void rolesThatAreNotAListOfShortStringsRefuseTheToken() {
    for (String roles :
        List.of(
            "[null]",
            "[1]",
            "[[\"admin\"]]",
            "[{\"admin\":true}]",
            "{\"admin\":true}",
            "null",
            "true",
            "[\"" + "r".repeat(65) + "\"]",
            "[" + "\"renter\",".repeat(16) + "\"renter\"]"))
      assertThat(auth.verify(raw("{\"sub\":\"u-1\",\"roles\":" + roles + ",\"exp\":%d}")))
          .as(roles)
          .isEmpty();
    assertThat(
            auth.verify(
                raw(
                    "{\"sub\":\"u-1\",\"roles\":["
                        + "\"renter\",".repeat(15)
                        + "\"renter\"],\"exp\":%d}")))
        .as("16 roles")
        .isPresent();
  }

  @Test
  void theSubjectIsBoundedAndOfASafeCharacterSet() {
    for (String good :
        List.of(
            "r",
            "x".repeat(128),
            "auth0|5f7c8ec7c33c6c004bbafe82",
            "f47ac10b-58cc-4372-a567-0e02b2c3d479",
            "ana@example.com",
            "google-oauth2:1234"))
      assertThat(auth.verify(auth.mint(good, List.of("renter"), Duration.ofHours(1), clock)))
          .as(good)
          .isPresent();
    for (String bad :
        List.of(
            "x".repeat(129),
            "x".repeat(300),
            "a b",
            "a\nb",
            "caf\u00e9",
            "a/b",
            "a'b",
            "a;b",
            "<x>"))
      assertThat(auth.verify(auth.mint(bad, List.of("renter"), Duration.ofHours(1), clock)))
          .as(bad)
          .isEmpty();
    assertThat(auth.verify(raw("{\"sub\":42,\"roles\":[\"renter\"],\"exp\":%d}")))
        .as("a number")
        .isEmpty();
  }

  @Test
  void aTokenMayLiveAtMostTheMaximumLifetime() {
    JwtAuth strict =
        new JwtAuth(
            SECRET, clock, new TokenClaims.Limits(Duration.ofHours(2), Duration.ofSeconds(30)));
    assertThat(strict.verify(strict.mint("r", List.of("renter"), Duration.ofHours(2), clock)))
        .isPresent();
    assertThat(
            strict.verify(
                strict.mint("r", List.of("renter"), Duration.ofHours(2).plusSeconds(1), clock)))
        .isEmpty();
    assertThat(auth.verify(auth.mint("r", List.of("renter"), Duration.ofDays(365), clock)))
        .as("default 24 h")
        .isEmpty();
    // Without iat the lifetime counts from now.
    assertThat(
            strict.verify(
                signed(
                    JWT.create()
                        .withSubject("r")
                        .withClaim("roles", List.of("renter"))
                        .withExpiresAt(T0.plus(Duration.ofHours(3))))))
        .isEmpty();
    // An iat long ago does not make a far exp acceptable.
    assertThat(
            strict.verify(
                signed(
                    JWT.create()
                        .withSubject("r")
                        .withClaim("roles", List.of("renter"))
                        .withIssuedAt(T0.minus(Duration.ofHours(1)))
                        .withExpiresAt(T0.plus(Duration.ofMinutes(90))))))
        .isEmpty();
  }

  @Test
  void timesMustBeWholeNumbersAndClaimsMustNotRepeat() {
    assertThat(auth.verify(raw("{\"sub\":\"u-1\",\"roles\":[\"renter\"],\"exp\":%d}")))
        .as("the reference")
        .isPresent();
    assertThat(auth.verify(raw("{\"sub\":\"u-1\",\"roles\":[\"renter\"],\"exp\":\"%d\"}")))
        .as("exp a string")
        .isEmpty();
    assertThat(auth.verify(raw("{\"sub\":\"u-1\",\"roles\":[\"renter\"],\"exp\":%d.5}")))
        .as("exp fractional")
        .isEmpty();
    assertThat(
            auth.verify(raw("{\"sub\":\"u-1\",\"roles\":[\"renter\"],\"exp\":%d,\"iat\":\"x\"}")))
        .as("iat")
        .isEmpty();
    assertThat(
            auth.verify(
                raw("{\"sub\":\"u-1\",\"sub\":\"admin-1\",\"roles\":[\"renter\"],\"exp\":%d}")))
        .as("two subjects")
        .isEmpty();
    assertThat(
            auth.verify(
                raw("{\"sub\":\"u-1\",\"roles\":[\"renter\"],\"roles\":[\"admin\"],\"exp\":%d}")))
        .as("two role lists")
        .isEmpty();
  }

  @Test
  void aTokenTooLongOrNotShapedLikeACompactJwsIsRefusedUnread() {
    String good = auth.mint("renter-1", List.of("renter"), Duration.ofHours(1), clock);
    assertThat(auth.verify(good)).isPresent();
    for (String bad :
        List.of(
            good + ";", good + ",", good + " x", " " + good, good + ".x", good.replace('.', ' ')))
      assertThat(auth.verify(bad)).as(bad).isEmpty();
    String padded =
        auth.mint(
            "renter-1",
            List.of("renter"),
            "n".repeat(200),
            "e".repeat(320),
            Duration.ofHours(1),
            clock);
    assertThat(padded.length()).isLessThan(TokenClaims.MAX_TOKEN_CHARS);
    String huge =
        signed(
            JWT.create()
                .withSubject("renter-1")
                .withClaim("roles", List.of("renter"))
                .withClaim("padding", "p".repeat(TokenClaims.MAX_TOKEN_CHARS))
                .withExpiresAt(T0.plus(Duration.ofHours(1))));
    assertThat(auth.verify(huge)).isEmpty();
  }

  /**
   * A token signed with the test secret whose payload is {@code json}, its {@code %d} replaced by
   * an exp an hour ahead.
   */
  private static String raw(String json) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    byte[] header =
        b64.encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    byte[] payload =
        b64.encode(
            String.format(json, T0.plus(Duration.ofHours(1)).getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
    byte[] signature =
        Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)).sign(header, payload);
    return new String(header, StandardCharsets.US_ASCII)
        + "."
        + new String(payload, StandardCharsets.US_ASCII)
        + "."
        + b64.encodeToString(signature);
  }

  private static String signed(com.auth0.jwt.JWTCreator.Builder builder) {
    return builder.sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)));
  }

  private static JwtAuth verifierAt(Instant now) {
    return new JwtAuth(SECRET, Clock.fixed(now, ZoneOffset.UTC));
  }
}
