package com.hearth.http;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * The operators' port: pekko-management's routes (GET /cluster/members, GET /cluster/shards/{type},
 * PUT|DELETE /cluster/members/{address} to leave or down a node), the Cluster Bootstrap contact
 * point (/bootstrap/seed-nodes), Hearth's own view (GET /hearth/cluster) and the probes GET
 * /health/live and /health/ready (the same checks as on the HTTP port; no token, so Kubernetes can
 * probe them). Bound to loopback by default. When a token is set, every route but the bootstrap
 * probe needs {@code Authorization: Bearer <token>}; a non-loopback interface without a token is
 * refused at start.
 */
final class ManagementEndpoint extends HearthDirectives {

  private final byte[] expected;
  private final ClusterView view;
  private final Supplier<CompletionStage<Map<String, Boolean>>> readiness;

  private ManagementEndpoint(
      String token, ClusterView view, Supplier<CompletionStage<Map<String, Boolean>>> readiness) {
    this.expected = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.view = view;
    this.readiness = readiness;
  }

  /** Refuses a management endpoint open beyond loopback without a token, or with a short one. */
  static void checkSettings(Config config) {
    String iface = config.getString("hearth.management.interface");
    String token = config.getString("hearth.management.token");
    if (token.isEmpty() && !isLoopback(iface))
      throw new IllegalStateException(
          "the management endpoint is to listen on "
              + iface
              + ", beyond this machine: set HEARTH_MANAGEMENT_TOKEN (operators send it as a bearer token)");
    if (!token.isEmpty() && token.length() < 16)
      throw new IllegalStateException("HEARTH_MANAGEMENT_TOKEN must be at least 16 characters");
  }

  static ServerBinding start(
      ActorSystem<?> system,
      Config config,
      ClusterView view,
      Supplier<CompletionStage<Map<String, Boolean>>> readiness)
      throws Exception {
    checkSettings(config);
    String iface = config.getString("hearth.management.interface");
    int port = config.getInt("hearth.management.port");
    String token = config.getString("hearth.management.token");
    Route management = PekkoManagement.get(system).getRoutes();
    ManagementEndpoint endpoint = new ManagementEndpoint(token, view, readiness);
    return Http.get(system)
        .newServerAt(iface, port)
        .bind(endpoint.route(management))
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS)
        .addToCoordinatedShutdown(Duration.ofSeconds(5), system);
  }

  Route route(Route management) {
    return concat(
        pathPrefixTest("bootstrap", () -> management),
        // Kubernetes' probes: no token (a probe cannot send one), booleans only, as on the HTTP
        // port.
        pathPrefix(
            "health",
            () ->
                get(
                    () ->
                        concat(
                            path("live", () -> complete(json(200, Map.of("status", "UP")))),
                            path(
                                "ready",
                                () ->
                                    completeWithFuture(
                                        readiness
                                            .get()
                                            .thenApply(
                                                checks -> {
                                                  boolean ready =
                                                      checks.values().stream()
                                                          .allMatch(Boolean::booleanValue);
                                                  return json(
                                                      ready ? 200 : 503,
                                                      Map.of(
                                                          "status",
                                                          ready ? "UP" : "DOWN",
                                                          "checks",
                                                          checks));
                                                })))))),
        guarded(
            () ->
                concat(
                    path(
                        org.apache.pekko.http.javadsl.server.PathMatchers.segment("hearth")
                            .slash("cluster"),
                        () ->
                            get(
                                () ->
                                    completeWithFuture(
                                        view.snapshot().thenApply(body -> json(200, body))))),
                    management)));
  }

  private Route guarded(Supplier<Route> inner) {
    if (expected == null) return inner.get();
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          if (header.isPresent()
              && MessageDigest.isEqual(expected, header.get().getBytes(StandardCharsets.UTF_8)))
            return inner.get();
          return complete(
              problem(
                      Problem.of(
                          401,
                          "UNAUTHENTICATED",
                          "Unauthenticated",
                          "the management endpoint needs Authorization: Bearer <HEARTH_MANAGEMENT_TOKEN>"))
                  .addHeader(
                      WWWAuthenticate.create(HttpChallenge.create("Bearer", "hearth-management"))));
        });
  }

  static boolean isLoopback(String iface) {
    try {
      return InetAddress.getByName(iface).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
