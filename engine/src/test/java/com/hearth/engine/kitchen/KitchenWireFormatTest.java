package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.HoldBatchDone;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What crosses the network between nodes for a kitchen: every command and reply type has a binding
 * to Hearth's serializer (Jackson CBOR, never Java serialization; a new command is found through
 * the sealed interfaces), and the messages of the hold path, the hot ones when a hold lands on a
 * node that does not host its kitchen, come back equal after a round trip, callers' actor
 * references included.
 */
class KitchenWireFormatTest {

  private static ActorTestKit testKit;
  private static Serialization serialization;

  private static final Actor RENTER = new Actor("renter-1", Set.of(Role.RENTER));
  private static final Interval SLOT =
      new Interval(Instant.parse("2026-06-03T14:00:00Z"), Instant.parse("2026-06-03T16:00:00Z"));
  private static final Instant AT = Instant.parse("2026-06-01T12:00:00.123456789Z");

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    serialization = SerializationExtension.get(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyKitchenMessageTypeIsBoundToJacksonCbor() throws Exception {
    Serializer cbor = serialization.serializerFor(HoldSlots.class);
    assertThat(cbor.getClass().getName()).contains("JacksonCborSerializer");
    List<Class<?>> types = new ArrayList<>();
    collect(KitchenEntity.Command.class, types);
    collect(KitchenEntity.BookingReply.class, types);
    collect(KitchenEntity.KitchenReply.class, types);
    collect(KitchenEntity.AvailabilityReply.class, types);
    types.add(HoldBatchDone.class);
    types.add(KitchenEntity.HoldAnswer.class);
    // A new command is found here through the sealed interfaces; without a binding it would fail.
    assertThat(types)
        .contains(HoldSlots.class, HoldSlot.class, KitchenEntity.BookingAccepted.class);
    for (Class<?> type : types)
      assertThat(serialization.serializerFor(type).identifier())
          .as("serializer bound to %s", type.getName())
          .isEqualTo(cbor.identifier());
  }

  @Test
  void theHoldPathsMessagesComeBackEqual() {
    TestProbe<BookingReply> caller = testKit.createTestProbe();
    TestProbe<HoldBatchDone> done = testKit.createTestProbe();
    String bookingId = KitchenIds.newBookingId(KitchenIds.newKitchenId());
    HoldSlot withCaller = new HoldSlot(RENTER, bookingId, SLOT, "key-1", caller.ref(), AT);
    HoldSlot withoutKeyOrDeadline = new HoldSlot(RENTER, bookingId, SLOT, null, caller.ref());
    Booking booking =
        Booking.held(
            bookingId,
            "kitchen-1",
            "host-1",
            RENTER.id(),
            SLOT,
            new PriceBreakdown(5000, 750, 0, 5750, 4250, "EUR"),
            AT,
            AT.plusSeconds(600));
    Rejection refused = Rejection.of(Rejection.Code.SLOT_UNAVAILABLE, "taken");

    for (Object message :
        List.of(
            withCaller,
            new HoldSlots(List.of(withCaller, withCaller), done.ref()),
            withoutKeyOrDeadline,
            new BookingAccepted(booking, true),
            new BookingRejected(refused),
            new HoldBatchDone(2, 1),
            new HoldSlots(List.of(withCaller), done.ref(), true),
            new HoldBatchDone(
                1,
                1,
                List.of(
                    KitchenEntity.HoldAnswer.of(new BookingAccepted(booking, false)),
                    KitchenEntity.HoldAnswer.of(new BookingRejected(refused)),
                    KitchenEntity.HoldAnswer.NONE))))
      assertThat(roundTrip(message)).as(message.getClass().getSimpleName()).isEqualTo(message);
  }

  /**
   * Prints what serialization costs per message of the remote hop (bytes, and microseconds for
   * serializing and deserializing once) for docs/operations.md; asserts only that it is done.
   */
  @Test
  void whatTheHopsSerializationCosts() {
    TestProbe<BookingReply> caller = testKit.createTestProbe();
    TestProbe<HoldBatchDone> done = testKit.createTestProbe();
    String bookingId = KitchenIds.newBookingId(KitchenIds.newKitchenId());
    HoldSlot hold = new HoldSlot(RENTER, bookingId, SLOT, "key-1", caller.ref(), AT);
    Booking booking =
        Booking.held(
            bookingId,
            "kitchen-1",
            "host-1",
            RENTER.id(),
            SLOT,
            new PriceBreakdown(5000, 750, 0, 5750, 4250, "EUR"),
            AT,
            AT.plusSeconds(600));
    for (Object message :
        List.of(
            new HoldSlots(List.of(hold), done.ref()),
            new BookingAccepted(booking, false),
            new HoldBatchDone(1, 0),
            new HoldBatchDone(
                1, 0, List.of(KitchenEntity.HoldAnswer.of(new BookingAccepted(booking, false)))))) {
      int rounds = 20_000;
      for (int i = 0; i < rounds / 4; i++) roundTrip(message);
      long from = System.nanoTime();
      for (int i = 0; i < rounds; i++) roundTrip(message);
      double micros = (System.nanoTime() - from) / 1000.0 / rounds;
      int bytes = serialization.serialize(message).get().length;
      System.out.printf(
          "[wire] %s: %d bytes, %.1f µs to serialize and deserialize%n",
          message.getClass().getSimpleName(), bytes, micros);
      assertThat(bytes).isPositive();
    }
  }

  private static Object roundTrip(Object message) {
    byte[] bytes = serialization.serialize(message).get();
    Serializer serializer = serialization.findSerializerFor(message);
    return serialization
        .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
        .get();
  }

  private static void collect(Class<?> type, List<Class<?>> into) {
    if (type.isSealed()) for (Class<?> sub : type.getPermittedSubclasses()) collect(sub, into);
    else into.add(type);
  }
}
