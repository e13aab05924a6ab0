package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.ConfirmBooking;
import com.hearth.engine.kitchen.KitchenEntity.CreateKitchen;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.PublishKitchen;
import com.hearth.engine.kitchen.KitchenEntity.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a kitchen snapshots, what a snapshot holds, and that recovering from one gives the state a
 * full replay gives. {@code snapshot-every} is 4 here so the policy shows in a few events.
 */
class KitchenSnapshotTest extends KitchenEntityFixture {

  /** As the fixture's, but snapshotting every 4 events at least. */
  private static final KitchenConfig EVERY_FOUR =
      new KitchenConfig(
          Duration.ofMinutes(10),
          1500,
          Duration.ofDays(30),
          Duration.ofHours(24),
          Duration.ofMinutes(2),
          4,
          62);

  private SnapshotTestKit snapshots;

  @Override
  KitchenConfig config() {
    return EVERY_FOUR;
  }

  @BeforeEach
  void snapshotStore() {
    snapshots = kit.snapshotTestKit().orElseThrow();
  }

  @Test
  void snapshotsComeOnceTheEventsSinceTheLastReachHalfOfWhatItHolds() {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp", r))
        .replyOfType(KitchenAccepted.class);
    kit.<KitchenReply>runCommand(r -> new PublishKitchen(HOST, r))
        .replyOfType(KitchenAccepted.class);
    holdSlots(20);

    // Event n (create 1, publish 2, holds 3..22). Holds are persisted as batches, for which Pekko
    // passes the state before the event: n - 3 bookings. A snapshot is due when
    // n - last >= max(4, (n - 3) / 2): at 4 (4 >= 4), 8 (4 >= max(4, 2)), 12 (4 >= max(4, 4)),
    // not at 16 (4 < 6), 18 (6 < 7) or 19 (7 < 8), but at 20 (8 >= 8); 21 and 22 are too soon.
    List<Pair<SnapshotMeta, Object>> stored = snapshots.persistedInStorage(persistenceId());
    assertThat(stored.stream().map(p -> p.first().sequenceNr())).containsExactly(4L, 8L, 12L, 20L);
    assertThat(
            stored.stream()
                .map(
                    p ->
                        ((Listed) KitchenSnapshot.ADAPTER.fromJournal(p.second()))
                            .bookings()
                            .size()))
        .containsExactly(2, 6, 10, 18);
  }

  /**
   * Listed kitchens are stored in the compact form, and every booking and key comes back exactly:
   * statuses, the instants that are absent, a cancellation's role and reason, hold keys,
   * nanoseconds.
   */
  @Test
  void theCompactSnapshotGivesBackTheSameState() throws Exception {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp", r))
        .replyOfType(KitchenAccepted.class);
    kit.<KitchenReply>runCommand(r -> new PublishKitchen(HOST, r))
        .replyOfType(KitchenAccepted.class);
    List<String> ids = holdSlots(3);
    Instant start = Instant.parse("2026-06-10T09:00:00Z");
    kit.<BookingReply>runCommand(
            r ->
                new HoldSlot(
                    RENTER,
                    KitchenIds.newBookingId(kitchenId),
                    new Interval(start, start.plus(Duration.ofHours(2))),
                    "key-1",
                    r))
        .replyOfType(BookingAccepted.class);
    kit.<BookingReply>runCommand(r -> new ConfirmBooking(ADMIN, ids.get(0), r))
        .replyOfType(BookingAccepted.class);
    kit.<BookingReply>runCommand(r -> new CancelBooking(RENTER, ids.get(1), "plans changed", r))
        .replyOfType(BookingAccepted.class);
    Listed state = (Listed) kit.getState();
    assertThat(state.holdKeys()).hasSize(1);
    assertThat(state.bookings().get(ids.get(1)).cancelledBy()).isEqualTo(Role.RENTER);

    Serialization serialization = SerializationExtension.get(testKit.system());
    Object compact = KitchenSnapshot.ADAPTER.toJournal(state);
    assertThat(compact).isInstanceOf(KitchenSnapshot.class);
    byte[] bytes = serialization.serialize(compact).get();
    SerializerWithStringManifest serializer =
        (SerializerWithStringManifest) serialization.findSerializerFor(compact);
    Object back =
        serialization
            .deserialize(bytes, serializer.identifier(), serializer.manifest(compact))
            .get();
    Listed restored = (Listed) KitchenSnapshot.ADAPTER.fromJournal(back);
    assertThat(restored).isEqualTo(state);
    assertThat(restored.bookings().get(ids.get(1))).isEqualTo(state.bookings().get(ids.get(1)));
    assertThat(restored.nextDue()).isEqualTo(state.nextDue());

    assertThat(kit.restart().state()).isEqualTo(state);

    // Nanoseconds, another host and another currency than the kitchen's come back as they were.
    Instant precise = Instant.parse("2026-06-01T12:00:00.123456789Z");
    Booking other =
        new Booking(
            KitchenIds.newBookingId(kitchenId),
            kitchenId,
            "host-2",
            RENTER.id(),
            new Interval(start, start.plus(Duration.ofHours(1))),
            BookingStatus.EXPIRED,
            new PriceBreakdown(2500, 375, 206, 2706, 2125, "EUR"),
            precise,
            precise.plus(Duration.ofMinutes(10)),
            null,
            null,
            precise.plus(Duration.ofMinutes(10)),
            null,
            null,
            null,
            0);
    Listed mixed = state.withBooking(other);
    Object mixedCompact = KitchenSnapshot.ADAPTER.toJournal(mixed);
    Object mixedBack =
        serialization
            .deserialize(
                serialization.serialize(mixedCompact).get(),
                serializer.identifier(),
                serializer.manifest(mixedCompact))
            .get();
    assertThat(KitchenSnapshot.ADAPTER.fromJournal(mixedBack)).isEqualTo(mixed);
    assertThat(
            ((Listed) KitchenSnapshot.ADAPTER.fromJournal(mixedBack))
                .bookings()
                .get(other.bookingId()))
        .isEqualTo(other);
  }

  /**
   * A snapshot written before the compact form, a plain {@link Listed}, still recovers the kitchen.
   */
  @Test
  void aSnapshotInTheOlderFormStillLoads() {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp", r))
        .replyOfType(KitchenAccepted.class);
    kit.<KitchenReply>runCommand(r -> new PublishKitchen(HOST, r))
        .replyOfType(KitchenAccepted.class);
    List<String> ids = holdSlots(2);
    State before = kit.getState();
    snapshots.clearByPersistenceId(persistenceId());
    snapshots.persistForRecovery(
        persistenceId(), List.of(Pair.create(SnapshotMeta.create(4), (Object) before)));

    State recovered = kit.restart().state();

    assertThat(recovered).isEqualTo(before);
    assertThat(
            ((Listed) recovered)
                .conflictWith(((Listed) recovered).bookings().get(ids.get(0)).slot(), T0))
        .isPresent();
  }

  /**
   * Instants too far out for nanoseconds in a long leave the state to the older form, which holds
   * any.
   */
  @Test
  void aStateTheCompactFormCannotHoldIsSnapshottedAsItIs() {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp", r))
        .replyOfType(KitchenAccepted.class);
    Listed state = (Listed) kit.getState();
    Instant farOut = Instant.parse("2262-04-12T00:00:00Z");
    Booking booking =
        new Booking(
            KitchenIds.newBookingId(kitchenId),
            kitchenId,
            HOST.id(),
            RENTER.id(),
            new Interval(farOut, farOut.plus(Duration.ofHours(1))),
            BookingStatus.HELD,
            new PriceBreakdown(2500, 375, 206, 2706, 2125, "USD"),
            T0,
            T0.plus(Duration.ofMinutes(10)),
            null,
            null,
            null,
            null,
            null,
            null,
            0);
    Listed withFarOut =
        new Listed(
            state.kitchenId(),
            state.hostId(),
            state.settings(),
            state.status(),
            state.fingerprint(),
            state.createdAt(),
            state.updatedAt(),
            java.util.Map.of(booking.bookingId(), booking),
            java.util.Map.of());

    assertThat(KitchenSnapshot.ADAPTER.toJournal(state)).isInstanceOf(KitchenSnapshot.class);
    assertThat(KitchenSnapshot.ADAPTER.toJournal(withFarOut)).isSameAs(withFarOut);
  }

  @Test
  void recoveryFromASnapshotEqualsAFullReplay() {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp", r))
        .replyOfType(KitchenAccepted.class);
    kit.<KitchenReply>runCommand(r -> new PublishKitchen(HOST, r))
        .replyOfType(KitchenAccepted.class);
    List<String> ids = holdSlots(16);
    kit.<BookingReply>runCommand(r -> new ConfirmBooking(ADMIN, ids.get(0), r))
        .replyOfType(BookingAccepted.class);
    kit.<BookingReply>runCommand(r -> new CancelBooking(RENTER, ids.get(1), "plans changed", r))
        .replyOfType(BookingAccepted.class);
    State before = kit.getState();
    assertThat(snapshots.persistedInStorage(persistenceId())).isNotEmpty();

    assertThat(kit.restart().state()).isEqualTo(before);

    snapshots.clearByPersistenceId(persistenceId());
    assertThat(kit.restart().state()).isEqualTo(before);
  }

  /**
   * The state's own document keeps the plain-map format: the same fields, bookings and idempotency
   * keys as maps by id, so snapshots written in it (before the bookings were indexed, and before
   * the compact form of {@link KitchenSnapshot}) still load.
   */
  @Test
  void aSnapshotIsTheSamePlainDocumentAsBeforeTheIndexes() throws Exception {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp", r))
        .replyOfType(KitchenAccepted.class);
    kit.<KitchenReply>runCommand(r -> new PublishKitchen(HOST, r))
        .replyOfType(KitchenAccepted.class);
    List<String> ids = holdSlots(2);
    Listed state = (Listed) kit.getState();

    Serialization serialization = SerializationExtension.get(testKit.system());
    byte[] bytes = serialization.serialize(state).get();
    JsonNode document = new ObjectMapper(new CBORFactory()).readTree(bytes);
    List<String> fields = new ArrayList<>();
    document.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "kitchenId",
            "hostId",
            "settings",
            "status",
            "fingerprint",
            "createdAt",
            "updatedAt",
            "bookings",
            "holdKeys",
            "compliance");
    List<String> bookingIds = new ArrayList<>();
    Iterator<String> names = document.get("bookings").fieldNames();
    names.forEachRemaining(bookingIds::add);
    assertThat(bookingIds).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(document.get("bookings").get(ids.get(0)).get("status").asText()).isEqualTo("HELD");

    SerializerWithStringManifest serializer =
        (SerializerWithStringManifest) serialization.findSerializerFor(state);
    Object back =
        serialization.deserialize(bytes, serializer.identifier(), serializer.manifest(state)).get();
    assertThat(back).isEqualTo(state);
    assertThat(((Listed) back).conflictWith(((Listed) back).bookings().get(ids.get(0)).slot(), T0))
        .isPresent();
  }

  /**
   * Recovery really starts from the snapshot: with the journal's events gone (sequence numbers
   * kept), a restart still finds the kitchen as the last snapshot (event 20) left it, without the
   * two holds persisted after it. Without snapshots it would find no kitchen at all.
   */
  @Test
  void recoveryStartsFromTheLatestSnapshot() {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp", r))
        .replyOfType(KitchenAccepted.class);
    kit.<KitchenReply>runCommand(r -> new PublishKitchen(HOST, r))
        .replyOfType(KitchenAccepted.class);
    List<String> ids = holdSlots(20);

    kit.persistenceTestKit().clearByIdPreservingSeqNumbers(persistenceId());
    State recovered = kit.restart().state();

    assertThat(recovered)
        .isInstanceOfSatisfying(
            Listed.class,
            listed ->
                assertThat(listed.bookings().keySet())
                    .containsExactlyInAnyOrderElementsOf(ids.subList(0, 18)));
  }

  /**
   * After a restart the interval counts from the sequence number recovered (22 here), not from 0
   * nor from the snapshot loaded (20): event n (a hold, with n - 3 bookings before it) is
   * snapshotted once n - 22 >= max(4, (n - 3) / 2) in integer division, first at n = 40 (18 >= 37 /
   * 2 = 18; at 39, 17 < 18). Counting from 0 would snapshot at once (event 23), counting from 20 at
   * event 36 (16 >= 33 / 2 = 16).
   */
  @Test
  void afterARestartTheIntervalCountsFromTheRecoveredSequenceNumber() {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp", r))
        .replyOfType(KitchenAccepted.class);
    kit.<KitchenReply>runCommand(r -> new PublishKitchen(HOST, r))
        .replyOfType(KitchenAccepted.class);
    holdSlots(20);
    kit.restart();

    holdSlots(19, Instant.parse("2026-06-10T00:00:00Z"));

    assertThat(
            snapshots.persistedInStorage(persistenceId()).stream().map(p -> p.first().sequenceNr()))
        .containsExactly(4L, 8L, 12L, 20L, 40L);
  }

  /**
   * Idempotency keys are written by a snapshot too, so they count toward its size: with a key on
   * every hold, event n has 2 (n - 3) entries behind it, and is snapshotted once n - last >= max(4,
   * n - 3). That holds at event 4 (4 >= max(4, 1)) and never again (n - 4 < n - 3). Without the
   * keys counted, snapshots would come every 4 events.
   */
  @Test
  void idempotencyKeysCountTowardWhatASnapshotHolds() {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp", r))
        .replyOfType(KitchenAccepted.class);
    kit.<KitchenReply>runCommand(r -> new PublishKitchen(HOST, r))
        .replyOfType(KitchenAccepted.class);
    Instant first = Instant.parse("2026-06-03T00:00:00Z");
    for (int i = 0; i < 20; i++) {
      Instant start = first.plus(Duration.ofHours(2L * i));
      String bookingId = KitchenIds.newBookingId(kitchenId);
      String key = "key-" + i;
      kit.<BookingReply>runCommand(
              r ->
                  new HoldSlot(
                      RENTER,
                      bookingId,
                      new Interval(start, start.plus(Duration.ofHours(1))),
                      key,
                      r))
          .replyOfType(BookingAccepted.class);
    }

    assertThat(
            snapshots.persistedInStorage(persistenceId()).stream().map(p -> p.first().sequenceNr()))
        .containsExactly(4L);
  }

  /**
   * Holds {@code count} one-hour slots two hours apart, one command each, and returns their ids.
   */
  private List<String> holdSlots(int count) {
    return holdSlots(count, Instant.parse("2026-06-03T00:00:00Z"));
  }

  private List<String> holdSlots(int count, Instant first) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant start = first.plus(Duration.ofHours(2L * i));
      String bookingId = KitchenIds.newBookingId(kitchenId);
      kit.<BookingReply>runCommand(
              r ->
                  new HoldSlot(
                      RENTER,
                      bookingId,
                      new Interval(start, start.plus(Duration.ofHours(1))),
                      null,
                      r))
          .replyOfType(BookingAccepted.class);
      ids.add(bookingId);
    }
    return ids;
  }

  private String persistenceId() {
    return KitchenEntity.ENTITY_KEY.name() + "|" + kitchenId;
  }
}
