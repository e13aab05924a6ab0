package com.hearth.loadtest.sim;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Instant;
import java.util.List;

/**
 * Scenario (a) at a fixed arrival rate: {@code bench.rate} holds per second on one kitchen, every
 * hold a distinct slot, for {@code bench.duration} seconds (open model, so a slow answer does not
 * slow the arrivals; connections are pooled and kept alive across users). Used at 70 % of the peak
 * measured by {@link OneKitchenDistinctSlots} to report latency below saturation.
 */
public class OpenRateHolds extends Simulation {

  private final String kitchen = Params.kitchens().get(0);
  private final List<String> renters = Params.renters(Params.key(), 200);
  private final Instant first = Params.firstDay();

  private final ScenarioBuilder holds =
      scenario("one kitchen at a fixed rate")
          .exec(
              s -> {
                Outcomes.started();
                long i = Outcomes.nextSlot();
                return Chains.holdOf(
                    s,
                    kitchen,
                    first.plus(OneKitchenDistinctSlots.SLOT.multipliedBy(i)),
                    OneKitchenDistinctSlots.SLOT,
                    renters.get((int) (i % renters.size())));
              })
          .exec(Chains.hold());

  {
    setUp(holds.injectOpen(constantUsersPerSec(Params.rate()).during(Params.duration())))
        .protocols(Chains.protocol(true))
        .maxDuration(Params.duration().plusSeconds(30));
  }
}
