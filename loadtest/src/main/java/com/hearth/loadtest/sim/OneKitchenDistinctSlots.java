package com.hearth.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Scenario (a): one kitchen, every hold a different 15-minute slot, so every hold should be
 * accepted. Closed model: {@code bench.users} users, each posting holds back to back on its own
 * keep-alive connection for {@code bench.duration} seconds. The kitchen is the first line of {@code
 * bench.kitchens}; it must allow 15-minute slots, no notice and a two-year horizon.
 */
public class OneKitchenDistinctSlots extends Simulation {

  static final Duration SLOT = Duration.ofMinutes(15);

  private final String kitchen = Params.kitchens().get(0);
  private final List<String> renters = Params.renters(Params.key(), 200);
  private final Instant first = Params.firstDay();

  private final ScenarioBuilder holds =
      scenario("one kitchen, distinct slots")
          .exec(
              s -> {
                Outcomes.started();
                return s;
              })
          .during(Params.duration(), false)
          .on(
              exec(s -> {
                    long i = Outcomes.nextSlot();
                    return Chains.holdOf(
                        s,
                        kitchen,
                        first.plus(SLOT.multipliedBy(i)),
                        SLOT,
                        renters.get((int) (i % renters.size())));
                  })
                  .exec(Chains.hold()));

  {
    setUp(holds.injectClosed(constantConcurrentUsers(Params.users()).during(Params.duration())))
        .protocols(Chains.protocol(false))
        .maxDuration(Params.duration().plusSeconds(10));
  }
}
