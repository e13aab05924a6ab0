package com.hearth.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.typesafe.config.Config;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Tokens of an external OpenID Connect provider (Keycloak, Auth0, ...): RS256 or ES256, signed by a
 * key of the provider's JWKS, from its issuer, for this API's audience. Keys are fetched from the
 * JWKS URL, cached, and fetched again when a token names a key id the cache does not know (the
 * provider rotated its keys), at most once per {@code jwks-min-refresh}. The claims are then
 * checked as strictly as the node's own tokens ({@link TokenClaims}), with the roles read at a
 * configurable path such as {@code realm_access.roles}.
 */
final class ExternalTokens {

  /** The {@code hearth.auth.oidc} settings; an empty issuer turns external tokens off. */
  record Settings(
      String issuer,
      String jwksUrl,
      String audience,
      String rolesClaim,
      Duration jwksCacheTtl,
      Duration jwksMinRefresh,
      Duration jwksTimeout) {

    static Optional<Settings> from(Config config) {
      Config c = config.getConfig("hearth.auth.oidc");
      if (c.getString("issuer").isBlank()) return Optional.empty();
      Settings s =
          new Settings(
              c.getString("issuer"),
              c.getString("jwks-url"),
              c.getString("audience"),
              c.getString("roles-claim"),
              c.getDuration("jwks-cache-ttl"),
              c.getDuration("jwks-min-refresh"),
              c.getDuration("jwks-timeout"));
      if (s.jwksUrl().isBlank() || s.audience().isBlank())
        throw new IllegalArgumentException(
            "hearth.auth.oidc needs jwks-url and audience when issuer is set");
      return Optional.of(s);
    }
  }

  private final Settings settings;
  private final ConfigurableJWTProcessor<SecurityContext> processor;

  ExternalTokens(Settings settings) {
    this.settings = settings;
    int timeout = (int) settings.jwksTimeout().toMillis();
    JWKSource<SecurityContext> keys;
    try {
      keys =
          JWKSourceBuilder.<SecurityContext>create(
                  URI.create(settings.jwksUrl()).toURL(),
                  new DefaultResourceRetriever(timeout, timeout, 512 * 1024))
              .cache(settings.jwksCacheTtl().toMillis(), timeout)
              .rateLimited(settings.jwksMinRefresh().toMillis())
              .retrying(true)
              .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "hearth.auth.oidc.jwks-url is not a URL: " + settings.jwksUrl(), e);
    }
    processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
    // Times, issuer and audience are checked below on the node's clock, with the node's leeway.
    processor.setJWTClaimsSetVerifier(null);
  }

  /** Where the provider's tokens keep their roles. */
  String rolesClaim() {
    return settings.rolesClaim();
  }

  /**
   * Whether {@code token} is signed by one of the provider's keys; then its payload, if issuer and
   * audience match.
   */
  Optional<JsonNode> verify(String token) {
    try {
      processor.process(token, null);
    } catch (Exception invalid) {
      // Forged, unknown key, wrong algorithm or type, or the JWKS could not be fetched: not a valid
      // token.
      return Optional.empty();
    }
    return TokenClaims.payloadOf(token).filter(this::forUs);
  }

  private boolean forUs(JsonNode payload) {
    JsonNode iss = payload.get("iss");
    if (iss == null || !iss.isTextual() || !iss.textValue().equals(settings.issuer())) return false;
    JsonNode aud = payload.get("aud");
    if (aud == null) return false;
    if (aud.isTextual()) return aud.textValue().equals(settings.audience());
    if (!aud.isArray() || aud.size() > TokenClaims.MAX_ROLES) return false;
    for (JsonNode a : aud)
      if (a.isTextual() && a.textValue().equals(settings.audience())) return true;
    return false;
  }
}
