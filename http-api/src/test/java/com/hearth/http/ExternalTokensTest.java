package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens of an external OpenID Connect provider, against a local JWKS server standing in for it.
 */
class ExternalTokensTest {

  private static final String ISSUER = "https://idp.example/realms/hearth";
  private static final String AUDIENCE = "hearth-api";
  private static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

  private final AtomicReference<JWKSet> published = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer jwks;
  private RSAKey rsa;
  private ECKey ec;

  @BeforeEach
  void startProvider() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    published.set(new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())));
    jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwks.createContext(
        "/certs",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    jwks.start();
  }

  @AfterEach
  void stopProvider() {
    jwks.stop(0);
  }

  private JwtAuth auth(String rolesClaim, Duration minRefresh, boolean localTokens) {
    ExternalTokens.Settings settings =
        new ExternalTokens.Settings(
            ISSUER,
            "http://127.0.0.1:" + jwks.getAddress().getPort() + "/certs",
            AUDIENCE,
            rolesClaim,
            Duration.ofMinutes(5),
            minRefresh,
            Duration.ofSeconds(2));
    return new JwtAuth(
        SECRET,
        Clock.systemUTC(),
        TokenClaims.Limits.DEFAULT,
        Optional.of(new ExternalTokens(settings)),
        localTokens);
  }

  private JwtAuth auth() {
    return auth("realm_access.roles", Duration.ofSeconds(30), true);
  }

  private static JWTClaimsSet.Builder claims(String sub, Object roles) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .subject(sub)
        .issuer(ISSUER)
        .audience(List.of(AUDIENCE, "account"))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .claim("realm_access", Map.of("roles", roles));
  }

  private static String rs256(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static String es256(ECKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Test
  void rs256AndEs256TokensOfTheProviderAreAcceptedWithTheirRoles() throws Exception {
    JwtAuth auth = auth();
    Actor host =
        auth.verify(
                rs256(
                    rsa,
                    claims(
                            "f47ac10b-58cc-4372-a567-0e02b2c3d479",
                            List.of("host", "offline_access"))
                        .build()))
            .orElseThrow();
    assertThat(host.id()).isEqualTo("f47ac10b-58cc-4372-a567-0e02b2c3d479");
    assertThat(host.roles()).containsExactly(Role.HOST);
    assertThat(
            auth.verify(es256(ec, claims("renter-9", List.of("renter")).build()))
                .orElseThrow()
                .roles())
        .containsExactly(Role.RENTER);
    // The node's own tokens keep working beside them.
    assertThat(
            auth.verify(
                new JwtAuth(SECRET, Clock.systemUTC())
                    .mint("r", List.of("renter"), Duration.ofHours(1), Clock.systemUTC())))
        .isPresent();
  }

  @Test
  void anotherIssuerAudienceOrKeyAndOutOfBoundsClaimsAreRefused() throws Exception {
    JwtAuth auth = auth();
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    Instant now = Instant.now();
    assertThat(
            auth.verify(
                rs256(rsa, claims("u", List.of("admin")).issuer("https://evil.example").build())))
        .as("issuer")
        .isEmpty();
    assertThat(auth.verify(rs256(rsa, claims("u", List.of("admin")).audience("other-api").build())))
        .as("audience")
        .isEmpty();
    assertThat(
            auth.verify(rs256(rsa, claims("u", List.of("admin")).audience((String) null).build())))
        .as("no audience")
        .isEmpty();
    assertThat(auth.verify(rs256(stranger, claims("u", List.of("admin")).build())))
        .as("a key of the same id, not the provider's")
        .isEmpty();
    assertThat(
            auth.verify(
                rs256(
                    rsa,
                    claims("u", List.of("admin"))
                        .expirationTime(Date.from(now.minusSeconds(60)))
                        .build())))
        .as("expired")
        .isEmpty();
    assertThat(
            auth.verify(
                rs256(
                    rsa,
                    claims("u", List.of("admin"))
                        .expirationTime(Date.from(now.plus(Duration.ofDays(2))))
                        .build())))
        .as("beyond the maximum lifetime")
        .isEmpty();
    assertThat(auth.verify(rs256(rsa, claims("u", java.util.Arrays.asList((Object) null)).build())))
        .as("roles [null]")
        .isEmpty();
    assertThat(auth.verify(rs256(rsa, claims("x".repeat(129), List.of("renter")).build())))
        .as("sub too long")
        .isEmpty();
    assertThat(auth.verify(rs256(rsa, claims("u", List.of("ADMIN")).build())).orElseThrow().roles())
        .as("exact names")
        .isEmpty();
  }

  @Test
  void anHs256TokenMadeWithTheProvidersPublicKeyOrAnUnsignedOneIsRefused() throws Exception {
    JwtAuth auth = auth();
    // Algorithm confusion: HMAC keyed with the public key's bytes, the classic RS256 -> HS256 swap.
    SignedJWT confused =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
            claims("u", List.of("admin")).build());
    byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
    confused.sign(
        new MACSigner(java.util.Arrays.copyOf(publicKey, Math.max(32, publicKey.length))));
    assertThat(auth.verify(confused.serialize())).isEmpty();
    String unsigned =
        new com.nimbusds.jwt.PlainJWT(claims("u", List.of("admin")).build()).serialize() + "x";
    assertThat(auth.verify(unsigned)).isEmpty();
  }

  @Test
  void rotatedKeysAreFetchedForAnUnknownKeyIdAndRetiredOnesNoLongerVerify() throws Exception {
    JwtAuth auth = auth("realm_access.roles", Duration.ofMillis(1), true);
    assertThat(auth.verify(rs256(rsa, claims("u-1", List.of("renter")).build()))).isPresent();
    RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    published.set(new JWKSet(List.<JWK>of(next.toPublicJWK())));
    String signedByNext = rs256(next, claims("u-2", List.of("renter")).build());
    // Fetched again once 1 ms has passed since the last fetch.
    await().atMost(Duration.ofSeconds(5)).until(() -> auth.verify(signedByNext).isPresent());
    assertThat(auth.verify(rs256(rsa, claims("u-3", List.of("renter")).build())))
        .as("the retired key")
        .isEmpty();
  }

  @Test
  void madeUpKeyIdsDoNotFloodTheProviderWithFetches() throws Exception {
    JwtAuth auth = auth();
    assertThat(auth.verify(rs256(rsa, claims("u-1", List.of("renter")).build()))).isPresent();
    int before = fetches.get();
    for (int i = 0; i < 50; i++) {
      RSAKey madeUp = new RSAKey.Builder(rsa).keyID("kid-" + UUID.randomUUID()).build();
      assertThat(auth.verify(rs256(madeUp, claims("u", List.of("renter")).build()))).isEmpty();
    }
    assertThat(fetches.get() - before)
        .as("at most one fetch per jwks-min-refresh")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void theNodesOwnTokensCanBeTurnedOffAndANamespacedRolesClaimIsRead() throws Exception {
    JwtAuth auth = auth("https://hearth.example/roles", Duration.ofSeconds(30), false);
    assertThat(
            auth.verify(
                new JwtAuth(SECRET, Clock.systemUTC())
                    .mint("r", List.of("admin"), Duration.ofHours(1), Clock.systemUTC())))
        .as("local tokens off")
        .isEmpty();
    JWTClaimsSet namespaced =
        claims("auth0|5f7c8ec7c33c6c004bbafe82", List.of())
            .claim("https://hearth.example/roles", List.of("operator"))
            .build();
    assertThat(auth.verify(rs256(rsa, namespaced)).orElseThrow().roles())
        .containsExactly(Role.OPERATOR);
  }
}
