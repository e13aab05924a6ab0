package com.hearth.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scenario (e): the journey of a renter, {@code bench.users} of them at once (200 by default in the
 * runner), with no think time: browse the published kitchens, read one kitchen's availability for a
 * day, hold an hour of that day, and when the hold is accepted start its payment with the offline
 * provider and settle it as succeeded; one journey in ten then cancels the booking. Counts a
 * completed journey as one operation and every hold in {@link Outcomes}.
 */
public class MixedJourney extends Simulation {

  private final List<String> kitchens = Params.kitchens();
  private final List<String> renters = Params.renters(Params.key(), 400);
  private final Instant first = Params.firstDay();

  private final ChainBuilder pick =
      exec(
          s -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int hour = random.nextInt(700 * 24);
            Instant start = first.plus(Duration.ofHours(hour));
            Instant day = first.plus(Duration.ofDays(hour / 24));
            String kitchen = kitchens.get(random.nextInt(kitchens.size()));
            return Chains.holdOf(
                    s,
                    kitchen,
                    start,
                    Duration.ofHours(1),
                    renters.get(random.nextInt(renters.size())))
                .set(
                    "availability",
                    "/v1/kitchens/"
                        + kitchen
                        + "/availability?from="
                        + day
                        + "&to="
                        + day.plus(Duration.ofDays(1)))
                .set("cancel", random.nextInt(10) == 0);
          });

  private final ChainBuilder pay =
      exec(http("payment")
              .post(s -> "/v1/bookings/" + s.getString("bookingId") + "/payment")
              .header("Authorization", Chains::bearer)
              .check(status().in(200, 201)))
          .exec(
              http("payment simulate")
                  .post(s -> "/v1/bookings/" + s.getString("bookingId") + "/payment/simulate")
                  .header("Authorization", Chains::bearer)
                  .body(StringBody("{\"outcome\":\"succeeded\"}"))
                  .check(status().is(200)))
          .doIf(s -> s.getBoolean("cancel"))
          .then(
              exec(
                  http("cancel")
                      .post(s -> "/v1/bookings/" + s.getString("bookingId") + "/cancel")
                      .header("Authorization", Chains::bearer)
                      .body(StringBody("{\"reason\":\"plans changed\"}"))
                      .check(status().is(200))));

  private final ScenarioBuilder journeys =
      scenario("mixed journey")
          .exec(
              s -> {
                Outcomes.started();
                return s;
              })
          .during(Params.duration(), false)
          .on(
              exec(pick)
                  .exec(s -> s.set("journeyAt", System.nanoTime()))
                  .exec(
                      http("browse kitchens")
                          .get("/v1/kitchens?limit=20")
                          .header("Authorization", Chains::bearer)
                          .check(status().is(200)))
                  .exec(
                      http("availability")
                          .get(s -> s.getString("availability"))
                          .header("Authorization", Chains::bearer)
                          .check(status().is(200)))
                  .exec(Chains.hold())
                  .doIf(s -> s.contains("bookingId"))
                  .then(pay)
                  .exec(
                      s -> {
                        if (!s.isFailed()) Outcomes.op(s.getLong("journeyAt"));
                        return s.markAsSucceeded();
                      }));

  {
    setUp(journeys.injectClosed(constantConcurrentUsers(Params.users()).during(Params.duration())))
        .protocols(Chains.protocol(false))
        .maxDuration(Params.duration().plusSeconds(10));
  }
}
