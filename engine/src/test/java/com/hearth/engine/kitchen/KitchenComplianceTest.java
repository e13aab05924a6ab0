package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Rejection;
import com.hearth.engine.kitchen.KitchenDecisions.Decision;
import com.hearth.engine.kitchen.KitchenDecisions.HoldBatch;
import com.hearth.engine.kitchen.KitchenDecisions.HoldRefused;
import com.hearth.engine.kitchen.KitchenEntity.ComplianceUpdated;
import com.hearth.engine.kitchen.KitchenEntity.CreateKitchen;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.KitchenPublished;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReinstated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenSuspended;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.PublishKitchen;
import com.hearth.engine.kitchen.KitchenEntity.Unlisted;
import com.hearth.engine.kitchen.KitchenEntity.UpdateCompliance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compliance in the kitchen's own rules: a kitchen that rules apply to publishes only while
 * compliant, suspends itself when its standing lapses (no new holds), and is reinstated when it is
 * compliant again. Plain functions, the time passed in.
 */
class KitchenComplianceTest {

  static final Instant T0 = KitchenEntityFixture.T0;
  static final Instant LAPSE = T0.plus(Duration.ofDays(10));
  static final ComplianceStanding UNTIL_LAPSE = new ComplianceStanding(true, true, LAPSE);
  static final ComplianceStanding FAILING = new ComplianceStanding(true, false, null);

  final String kitchenId = KitchenIds.newKitchenId();
  final KitchenDecisions decisions = new KitchenDecisions(kitchenId, KitchenEntityFixture.CONFIG);

  Listed draft() {
    return (Listed)
        decisions.applyAll(
            new Unlisted(),
            decisions
                .create(
                    new CreateKitchen(
                        KitchenEntityFixture.HOST, KitchenEntityFixture.SETTINGS, "fp", null),
                    T0)
                .events());
  }

  Listed after(Listed state, Decision<?> decision) {
    return (Listed) decisions.applyAll(state, decision.events());
  }

  @Test
  void aKitchenThatRulesApplyToPublishesOnlyWhileCompliant() {
    Listed draft = draft();
    Decision<KitchenReply> refused =
        decisions.publish(draft, new PublishKitchen(KitchenEntityFixture.HOST, FAILING, null), T0);
    assertThat(refused.events()).isEmpty();
    assertThat(((KitchenRejected) refused.reply().apply(draft)).rejection().code())
        .isEqualTo(Rejection.Code.KITCHEN_NOT_COMPLIANT);
    // Compliant, but its documents expired before now: refused too.
    ComplianceStanding stale = new ComplianceStanding(true, true, T0.minusSeconds(1));
    assertThat(
            decisions
                .publish(draft, new PublishKitchen(KitchenEntityFixture.HOST, stale, null), T0)
                .events())
        .isEmpty();

    Decision<KitchenReply> published =
        decisions.publish(
            draft, new PublishKitchen(KitchenEntityFixture.HOST, UNTIL_LAPSE, null), T0);
    assertThat(published.events())
        .singleElement()
        .isInstanceOfSatisfying(
            KitchenPublished.class, e -> assertThat(e.compliance()).isEqualTo(UNTIL_LAPSE));
    Listed live = after(draft, published);
    assertThat(live.status()).isEqualTo(KitchenStatus.PUBLISHED);
    assertThat(live.lapseDue()).contains(LAPSE);
  }

  @Test
  void withoutRulesNothingLapses() {
    Listed live =
        after(
            draft(),
            decisions.publish(draft(), new PublishKitchen(KitchenEntityFixture.HOST, null), T0));
    assertThat(live.lapseDue()).isEmpty();
    assertThat(decisions.settleDue(live, T0.plus(Duration.ofDays(3650)))).isEmpty();
  }

  @Test
  void theLapseSuspendsTheKitchenAtItsMomentAndNoHoldIsTakenThen() {
    Listed draft = draft();
    Listed live =
        after(
            draft,
            decisions.publish(
                draft, new PublishKitchen(KitchenEntityFixture.HOST, UNTIL_LAPSE, null), T0));
    assertThat(decisions.settleDue(live, LAPSE.minusMillis(1))).isEmpty();
    List<KitchenEntity.Event> due = decisions.settleDue(live, LAPSE);
    assertThat(due)
        .singleElement()
        .isInstanceOfSatisfying(
            KitchenSuspended.class, e -> assertThat(e.lapsedAt()).isEqualTo(LAPSE));
    Listed suspended = (Listed) decisions.applyAll(live, due);
    assertThat(suspended.status()).isEqualTo(KitchenStatus.SUSPENDED);
    assertThat(suspended.lapseDue()).as("nothing more to lapse").isEmpty();
    Actor renter = KitchenEntityFixture.RENTER;
    HoldBatch batch =
        decisions.holds(
            suspended,
            List.of(
                new HoldSlot(
                    renter,
                    KitchenIds.newBookingId(kitchenId),
                    KitchenEntityFixture.SLOT_A,
                    null,
                    null)),
            LAPSE);
    assertThat(batch.outcomes())
        .singleElement()
        .isInstanceOfSatisfying(
            HoldRefused.class,
            r -> assertThat(r.rejection().code()).isEqualTo(Rejection.Code.KITCHEN_NOT_BOOKABLE));
  }

  @Test
  void aNewValidDocumentLiftsTheSuspensionAndMovesTheLapse() {
    Listed draft = draft();
    Listed live =
        after(
            draft,
            decisions.publish(
                draft, new PublishKitchen(KitchenEntityFixture.HOST, UNTIL_LAPSE, null), T0));
    Listed suspended = (Listed) decisions.applyAll(live, decisions.settleDue(live, LAPSE));
    Actor platform = Actor.SYSTEM;
    // Still failing: the suspension stays and only the standing is recorded.
    Decision<KitchenReply> stillFailing =
        decisions.updateCompliance(suspended, new UpdateCompliance(platform, FAILING, null), LAPSE);
    assertThat(stillFailing.events()).singleElement().isInstanceOf(ComplianceUpdated.class);
    assertThat(after(suspended, stillFailing).status()).isEqualTo(KitchenStatus.SUSPENDED);
    ComplianceStanding renewed =
        new ComplianceStanding(true, true, LAPSE.plus(Duration.ofDays(365)));
    Decision<KitchenReply> lifted =
        decisions.updateCompliance(suspended, new UpdateCompliance(platform, renewed, null), LAPSE);
    assertThat(lifted.events()).singleElement().isInstanceOf(KitchenReinstated.class);
    Listed back = after(suspended, lifted);
    assertThat(back.status()).isEqualTo(KitchenStatus.PUBLISHED);
    assertThat(back.lapseDue()).contains(LAPSE.plus(Duration.ofDays(365)));
    // Only the platform and admins tell a kitchen its standing; the same standing again writes
    // nothing.
    assertThat(
            decisions
                .updateCompliance(
                    back, new UpdateCompliance(KitchenEntityFixture.HOST, FAILING, null), LAPSE)
                .events())
        .isEmpty();
    assertThat(
            decisions
                .updateCompliance(back, new UpdateCompliance(platform, renewed, null), LAPSE)
                .events())
        .isEmpty();
  }

  @Test
  void aPublishedKitchenThatLosesARequiredDocumentIsSuspendedAtOnceAndAValidReplacementLiftsIt() {
    // Published with documents that never expire: no timer would ever suspend it.
    ComplianceStanding noExpiry = new ComplianceStanding(true, true, null);
    Listed draft = draft();
    Listed live =
        after(
            draft,
            decisions.publish(
                draft, new PublishKitchen(KitchenEntityFixture.HOST, noExpiry, null), T0));
    assertThat(live.lapseDue()).isEmpty();
    Instant withdrawn = T0.plus(Duration.ofHours(5));
    Decision<KitchenReply> lost =
        decisions.updateCompliance(
            live, new UpdateCompliance(Actor.SYSTEM, FAILING, null), withdrawn);
    assertThat(lost.events()).hasSize(2);
    assertThat(lost.events().get(0))
        .isEqualTo(new ComplianceUpdated(kitchenId, FAILING, withdrawn));
    assertThat(lost.events().get(1))
        .isInstanceOfSatisfying(
            KitchenSuspended.class,
            e -> {
              assertThat(e.lapsedAt()).isEqualTo(withdrawn);
              assertThat(e.reason()).contains("no longer meets its compliance rules");
            });
    Listed suspended = after(live, lost);
    assertThat(suspended.status()).isEqualTo(KitchenStatus.SUSPENDED);
    assertThat(suspended.compliance()).isEqualTo(FAILING);
    assertThat(((KitchenEntity.KitchenAccepted) lost.reply().apply(suspended)).kitchen().status())
        .isEqualTo(KitchenStatus.SUSPENDED);
    HoldBatch batch =
        decisions.holds(
            suspended,
            List.of(
                new HoldSlot(
                    KitchenEntityFixture.RENTER,
                    KitchenIds.newBookingId(kitchenId),
                    KitchenEntityFixture.SLOT_A,
                    null,
                    null)),
            withdrawn);
    assertThat(batch.outcomes())
        .singleElement()
        .isInstanceOfSatisfying(
            HoldRefused.class,
            r -> assertThat(r.rejection().code()).isEqualTo(Rejection.Code.KITCHEN_NOT_BOOKABLE));
    // Still failing: stays suspended, nothing written twice.
    assertThat(
            decisions
                .updateCompliance(
                    suspended, new UpdateCompliance(Actor.SYSTEM, FAILING, null), withdrawn)
                .events())
        .isEmpty();
    // A valid replacement (without an expiry either) lifts it.
    Decision<KitchenReply> replaced =
        decisions.updateCompliance(
            suspended,
            new UpdateCompliance(Actor.SYSTEM, noExpiry, null),
            withdrawn.plusSeconds(60));
    assertThat(replaced.events()).singleElement().isInstanceOf(KitchenReinstated.class);
    assertThat(after(suspended, replaced).status()).isEqualTo(KitchenStatus.PUBLISHED);
  }

  @Test
  void aStandingAlreadyPastItsEndSuspendsAPausedKitchenAtOnceAndADraftOnlyRecordsIt() {
    Listed draft = draft();
    Listed live =
        after(
            draft,
            decisions.publish(
                draft, new PublishKitchen(KitchenEntityFixture.HOST, UNTIL_LAPSE, null), T0));
    Listed paused =
        after(
            live,
            decisions.pause(
                live, new KitchenEntity.PauseKitchen(KitchenEntityFixture.HOST, null), T0));
    ComplianceStanding expired = new ComplianceStanding(true, true, T0.plusSeconds(10));
    Decision<KitchenReply> told =
        decisions.updateCompliance(
            paused, new UpdateCompliance(Actor.SYSTEM, expired, null), T0.plusSeconds(20));
    assertThat(told.events().get(1))
        .isInstanceOfSatisfying(
            KitchenSuspended.class,
            e -> assertThat(e.reason()).isEqualTo("a required compliance document expired"));
    assertThat(after(paused, told).status()).isEqualTo(KitchenStatus.SUSPENDED);
    // A draft takes no bookings anyway: the standing is only recorded, publishing judges it.
    assertThat(
            decisions
                .updateCompliance(draft, new UpdateCompliance(Actor.SYSTEM, FAILING, null), T0)
                .events())
        .singleElement()
        .isInstanceOf(ComplianceUpdated.class);
    // Another standing that still permits bookings is only recorded.
    ComplianceStanding later = new ComplianceStanding(true, true, LAPSE.plus(Duration.ofDays(9)));
    assertThat(
            decisions
                .updateCompliance(live, new UpdateCompliance(Actor.SYSTEM, later, null), T0)
                .events())
        .singleElement()
        .isInstanceOf(ComplianceUpdated.class);
  }

  @Test
  void theHostRepublishingWithACompliantStandingAlsoLiftsIt() {
    Listed draft = draft();
    Listed live =
        after(
            draft,
            decisions.publish(
                draft, new PublishKitchen(KitchenEntityFixture.HOST, UNTIL_LAPSE, null), T0));
    Listed suspended = (Listed) decisions.applyAll(live, decisions.settleDue(live, LAPSE));
    assertThat(
            decisions
                .publish(
                    suspended, new PublishKitchen(KitchenEntityFixture.HOST, FAILING, null), LAPSE)
                .events())
        .isEmpty();
    ComplianceStanding renewed =
        new ComplianceStanding(true, true, LAPSE.plus(Duration.ofDays(30)));
    assertThat(
            decisions
                .publish(
                    suspended, new PublishKitchen(KitchenEntityFixture.HOST, renewed, null), LAPSE)
                .events())
        .singleElement()
        .isInstanceOf(KitchenReinstated.class);
  }
}
