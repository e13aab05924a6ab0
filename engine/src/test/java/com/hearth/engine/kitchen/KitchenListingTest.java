package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.FieldError;
import com.hearth.engine.Rejection;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.CreateKitchen;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenCreated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenUpdated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenView;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.PauseKitchen;
import com.hearth.engine.kitchen.KitchenEntity.State;
import com.hearth.engine.kitchen.KitchenEntity.UpdateKitchen;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;

/**
 * Creating, publishing, pausing and changing a listing. The kitchen, clock and prices are {@link
 * KitchenEntityFixture}'s.
 */
class KitchenListingTest extends KitchenEntityFixture {

  @Test
  void createMakesADraft() {
    CommandResultWithReply<Command, Event, State, KitchenReply> result =
        kit.runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp-1", r));
    KitchenAccepted accepted = result.replyOfType(KitchenAccepted.class);
    assertThat(accepted.replayed()).isFalse();
    assertThat(accepted.kitchen())
        .isEqualTo(new KitchenView(kitchenId, "host-1", KitchenStatus.DRAFT, SETTINGS, T0, T0));
    assertThat(result.events())
        .containsExactly(new KitchenCreated(kitchenId, "host-1", SETTINGS, "fp-1", T0, null, null));
    assertThat(result.stateOfType(Listed.class).status()).isEqualTo(KitchenStatus.DRAFT);
  }

  @Test
  void retriedCreateIsReplayedAndAChangedBodyIsRejected() {
    createKitchen(SETTINGS);
    CommandResultWithReply<Command, Event, State, KitchenReply> again =
        kit.runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp-create", r));
    assertThat(again.replyOfType(KitchenAccepted.class).replayed()).isTrue();
    assertThat(again.hasNoEvents()).isTrue();
    CommandResultWithReply<Command, Event, State, KitchenReply> changed =
        kit.runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp-other", r));
    assertThat(changed.replyOfType(KitchenRejected.class).rejection().code())
        .isEqualTo(Rejection.Code.IDEMPOTENCY_KEY_REUSED);
    assertThat(changed.hasNoEvents()).isTrue();
  }

  @Test
  void holdOnADraftIsNotFound() {
    createKitchen(SETTINGS);
    // A draft is hidden from renters, so holding it looks like holding a kitchen that does not
    // exist.
    CommandResultWithReply<Command, Event, State, BookingReply> onDraft =
        hold(RENTER, SLOT_A, null);
    assertThat(rejectionOf(onDraft).code()).isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(onDraft.hasNoEvents()).isTrue();
  }

  @Test
  void holdOnAPausedKitchenIsNotBookable() {
    createKitchen(SETTINGS);
    publish();
    kit.<KitchenReply>runCommand(r -> new PauseKitchen(HOST, r)).replyOfType(KitchenAccepted.class);
    CommandResultWithReply<Command, Event, State, BookingReply> onPaused =
        hold(RENTER, SLOT_A, null);
    assertThat(rejectionOf(onPaused).code()).isEqualTo(Rejection.Code.KITCHEN_NOT_BOOKABLE);
    assertThat(onPaused.hasNoEvents()).isTrue();
  }

  @Test
  void patchWithInvalidRulesNamesTheField() {
    createKitchen(SETTINGS);
    KitchenPatch badSlot =
        new KitchenPatch(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new KitchenPatch.RulesPatch(7, null, null, null, null, null),
            null,
            null); // 1440 % 7 != 0
    CommandResultWithReply<Command, Event, State, KitchenReply> result =
        kit.runCommand(r -> new UpdateKitchen(HOST, badSlot, r));
    Rejection rejection = result.replyOfType(KitchenRejected.class).rejection();
    assertThat(rejection.code()).isEqualTo(Rejection.Code.VALIDATION_FAILED);
    assertThat(rejection.fieldErrors())
        .extracting(FieldError::field)
        .containsExactly("rules.slot_minutes");
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.stateOfType(Listed.class).settings()).isEqualTo(SETTINGS);

    // Several bad fields are all named.
    KitchenPatch several =
        new KitchenPatch(
            null,
            null,
            null,
            null,
            null,
            null,
            10_001,
            new KitchenPatch.RulesPatch(7, 0, null, null, null, null),
            null,
            null);
    assertThat(
            kit.<KitchenReply>runCommand(r -> new UpdateKitchen(HOST, several, r))
                .replyOfType(KitchenRejected.class)
                .rejection()
                .fieldErrors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("tax_bps", "rules.slot_minutes", "rules.min_duration_minutes");
  }

  @Test
  void currencyIsFixedOnceTheKitchenHasBeenPublished() {
    createKitchen(SETTINGS);
    KitchenPatch euros =
        new KitchenPatch(null, null, null, null, "EUR", null, null, null, null, null);
    assertThat(
            kit.<KitchenReply>runCommand(r -> new UpdateKitchen(HOST, euros, r))
                .replyOfType(KitchenAccepted.class)
                .kitchen()
                .settings()
                .currency())
        .as("a draft may change it")
        .isEqualTo("EUR");
    publish();
    KitchenPatch dollars =
        new KitchenPatch(null, null, null, null, "USD", null, null, null, null, null);
    CommandResultWithReply<Command, Event, State, KitchenReply> refused =
        kit.runCommand(r -> new UpdateKitchen(HOST, dollars, r));
    assertThat(refused.replyOfType(KitchenRejected.class).rejection().fieldErrors())
        .containsExactly(
            new FieldError("currency", "cannot change once the kitchen has been published"));
    assertThat(refused.hasNoEvents()).isTrue();
  }

  @Test
  void validPatchChangesThePriceOfLaterHolds() {
    createKitchen(SETTINGS);
    publish();
    KitchenPatch rate =
        new KitchenPatch(null, null, null, null, null, 3000L, null, null, null, null);
    CommandResultWithReply<Command, Event, State, KitchenReply> result =
        kit.runCommand(r -> new UpdateKitchen(HOST, rate, r));
    assertThat(result.replyOfType(KitchenAccepted.class).kitchen().settings().hourlyRateCents())
        .isEqualTo(3000);
    assertThat(result.eventOfType(KitchenUpdated.class).settings().hourlyRateCents())
        .isEqualTo(3000);
    // 3000 * 120 / 60 = 6000; fee 900; tax 6000 * 0.0825 = 495; total 6495; payout 5100.
    assertThat(heldBooking(RENTER, SLOT_A).price())
        .isEqualTo(new PriceBreakdown(6000, 900, 495, 6495, 5100, "USD"));
    // Renters cannot change the listing.
    assertThat(
            kit.<KitchenReply>runCommand(r -> new UpdateKitchen(RENTER, rate, r))
                .replyOfType(KitchenRejected.class)
                .rejection()
                .code())
        .isEqualTo(Rejection.Code.FORBIDDEN);
  }
}
