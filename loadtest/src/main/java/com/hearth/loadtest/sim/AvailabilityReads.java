package com.hearth.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scenario (d): availability reads, one day of a random kitchen of {@code bench.kitchens} within
 * the next 60 days per request. Closed model, {@code bench.users} users for {@code bench.duration}
 * seconds; an answer other than 200 is a failure.
 */
public class AvailabilityReads extends Simulation {

  private final List<String> kitchens = Params.kitchens();
  private final List<String> renters = Params.renters(Params.key(), 200);
  private final Instant first = Params.firstDay();

  private final ScenarioBuilder reads =
      scenario("availability reads")
          .exec(
              s -> {
                Outcomes.started();
                return s;
              })
          .during(Params.duration(), false)
          .on(
              exec(s -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    Instant from = first.plus(Duration.ofDays(random.nextInt(60)));
                    return s.set("token", renters.get(random.nextInt(renters.size())))
                        .set(
                            "path",
                            "/v1/kitchens/"
                                + kitchens.get(random.nextInt(kitchens.size()))
                                + "/availability?from="
                                + from
                                + "&to="
                                + from.plus(Duration.ofDays(1)));
                  })
                  .exec(s -> s.set("sentAt", System.nanoTime()))
                  .exec(
                      http("availability")
                          .get(s -> s.getString("path"))
                          .header("Authorization", Chains::bearer)
                          .check(status().is(200)))
                  .exec(
                      s -> {
                        Outcomes.latency((System.nanoTime() - s.getLong("sentAt")) / 1000);
                        if (!s.isFailed()) Outcomes.op(s.getLong("sentAt"));
                        return s;
                      }));

  {
    setUp(reads.injectClosed(constantConcurrentUsers(Params.users()).during(Params.duration())))
        .protocols(Chains.protocol(false))
        .maxDuration(Params.duration().plusSeconds(10));
  }
}
