package com.hearth.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Instant;
import java.util.List;

/**
 * Scenario (c): holds spread uniformly over every kitchen of {@code bench.kitchens} (1,000 or
 * 10,000), each a distinct 15-minute slot of its kitchen, so every hold should be accepted. Closed
 * model, {@code bench.users} users for {@code bench.duration} seconds.
 */
public class ManyKitchens extends Simulation {

  private final List<String> kitchens = Params.kitchens();
  private final List<String> renters = Params.renters(Params.key(), 200);
  private final Instant first = Params.firstDay();

  private final ScenarioBuilder holds =
      scenario("holds over " + kitchens.size() + " kitchens")
          .exec(
              s -> {
                Outcomes.started();
                return s;
              })
          .during(Params.duration(), false)
          .on(
              exec(s -> {
                    long i = Outcomes.nextSlot();
                    String kitchen = kitchens.get((int) (i % kitchens.size()));
                    Instant start =
                        first.plus(OneKitchenDistinctSlots.SLOT.multipliedBy(i / kitchens.size()));
                    return Chains.holdOf(
                        s,
                        kitchen,
                        start,
                        OneKitchenDistinctSlots.SLOT,
                        renters.get((int) (i % renters.size())));
                  })
                  .exec(Chains.hold()));

  {
    setUp(holds.injectClosed(constantConcurrentUsers(Params.users()).during(Params.duration())))
        .protocols(Chains.protocol(false))
        .maxDuration(Params.duration().plusSeconds(10));
  }
}
