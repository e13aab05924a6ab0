package com.hearth.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scenario (b): a stampede on the 24 one-hour slots of one day of one kitchen. The first hold of
 * each slot wins, every later one is refused with 409: what is measured is decisions (201 + 409)
 * per second. Closed model, {@code bench.users} users for {@code bench.duration} seconds.
 */
public class Stampede extends Simulation {

  private final String kitchen = Params.kitchens().get(0);
  private final List<String> renters = Params.renters(Params.key(), 200);
  private final Instant first = Params.firstDay();

  private final ScenarioBuilder holds =
      scenario("stampede on 24 slots")
          .exec(
              s -> {
                Outcomes.started();
                return s;
              })
          .during(Params.duration(), false)
          .on(
              exec(s -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    Instant start = first.plus(Duration.ofHours(random.nextInt(24)));
                    return Chains.holdOf(
                        s,
                        kitchen,
                        start,
                        Duration.ofHours(1),
                        renters.get(random.nextInt(renters.size())));
                  })
                  .exec(Chains.hold()));

  {
    setUp(holds.injectClosed(constantConcurrentUsers(Params.users()).during(Params.duration())))
        .protocols(Chains.protocol(false))
        .maxDuration(Params.duration().plusSeconds(10));
  }
}
