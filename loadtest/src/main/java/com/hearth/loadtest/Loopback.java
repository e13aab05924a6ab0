package com.hearth.loadtest;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What every load scenario shares: a target that must be this machine, and tokens signed for it.
 */
final class Loopback {

  private Loopback() {}

  /** The node's base URL; anything but a loopback address is refused. */
  static URI target(String url) throws UnknownHostException {
    URI base = URI.create(url);
    if (!InetAddress.getByName(base.getHost()).isLoopbackAddress())
      throw new IllegalArgumentException("load runs target 127.0.0.1 only, not " + base.getHost());
    return base;
  }

  /**
   * A bearer token for {@code sub} in {@code role}, valid for an hour, signed with the node's
   * secret.
   */
  static String token(Algorithm key, String sub, String role) {
    return JWT.create()
        .withSubject(sub)
        .withClaim("roles", List.of(role))
        .withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
        .sign(key);
  }
}
