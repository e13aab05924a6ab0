package com.hearth.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.time.Instant;

/**
 * The requests the simulations share. Each expects the session to carry {@code token} (a bearer
 * token) and, for a hold, {@code kitchen} and {@code body}; a hold's answer is counted in {@link
 * Outcomes} whatever it is.
 */
final class Chains {

  private Chains() {}

  /** Keep-alive connections to the target; {@code shared} pools them across users (open model). */
  static HttpProtocolBuilder protocol(boolean shared) {
    HttpProtocolBuilder p =
        http.baseUrl(Params.target())
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .disableCaching()
            .disableWarmUp();
    return shared ? p.shareConnections() : p;
  }

  static String bearer(Session s) {
    return "Bearer " + s.getString("token");
  }

  /** POST a hold; 201 and 409 are both decisions, anything else is a failure. */
  static ChainBuilder hold() {
    return exec(s -> s.set("sentAt", System.nanoTime()))
        .exec(
            http("hold")
                .post(s -> "/v1/kitchens/" + s.getString("kitchen") + "/bookings")
                .header("Authorization", Chains::bearer)
                .body(StringBody(s -> s.getString("body")))
                .check(
                    status().saveAs("status"),
                    status().in(201, 409),
                    jsonPath("$.booking_id").optional().saveAs("bookingId")))
        .exec(
            s -> {
              Outcomes.latency((System.nanoTime() - s.getLong("sentAt")) / 1000);
              Outcomes.hold(
                  s.contains("status") ? s.getInt("status") : -1,
                  s.getString("bookingId"),
                  s.getLong("sentAt"));
              return s.remove("status");
            });
  }

  /** A session ready for a hold of [start, start + length) on {@code kitchen}. */
  static Session holdOf(Session s, String kitchen, Instant start, Duration length, String token) {
    return s.set("kitchen", kitchen)
        .set("token", token)
        .set("body", Params.holdBody(start, start.plus(length)))
        .remove("bookingId");
  }
}
