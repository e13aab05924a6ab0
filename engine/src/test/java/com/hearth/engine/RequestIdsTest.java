package com.hearth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.payment.PaymentEntity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The request id in commands: it crosses nodes with them (CBOR), and a node of the version before
 * it and this one read each other's commands; {@link RequestIds#with} puts back the logging context
 * it found.
 */
class RequestIdsTest {

  static ActorTestKit kit;
  static Serialization serialization;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create();
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static final Actor RENTER = new Actor("renter-1", Set.of(Role.RENTER));

  KitchenEntity.HoldSlot hold(String requestId) {
    ActorRef<BookingReply> replyTo = kit.<BookingReply>createTestProbe().ref();
    return new KitchenEntity.HoldSlot(
        RENTER,
        "bk_1",
        new Interval(Instant.parse("2027-02-01T15:00:00Z"), Instant.parse("2027-02-01T16:00:00Z")),
        "key-1",
        replyTo,
        Instant.parse("2027-01-06T15:00:05Z"),
        requestId);
  }

  @Test
  void theRequestIdCrossesNodesWithTheCommand() {
    KitchenEntity.HoldSlot sent = hold("req-42");
    assertThat(roundTrip(sent, null)).isEqualTo(sent);
    KitchenEntity.HoldSlots batch =
        new KitchenEntity.HoldSlots(List.of(sent, hold("req-43"), hold(null)), null);
    Object received = roundTrip(batch, null);
    assertThat(received).isEqualTo(batch);
    assertThat(((KitchenEntity.HoldSlots) received).requestId()).isEqualTo("req-42,req-43");
  }

  @Test
  void commandsWithoutTheIdAndWithFieldsUnknownHereAreRead() {
    KitchenEntity.HoldSlot sent = hold("req-42");
    // From a node of the version before the id: no requestId property.
    Object old = roundTrip(sent, tree -> tree.remove("requestId"));
    assertThat(old)
        .isEqualTo(
            new KitchenEntity.HoldSlot(
                sent.actor(),
                sent.bookingId(),
                sent.slot(),
                sent.idempotencyKey(),
                sent.replyTo(),
                sent.deadline()));
    // From a later version with a field this one does not know: ignored.
    Object later = roundTrip(sent, tree -> tree.put("somethingNew", "x"));
    assertThat(later).isEqualTo(sent);
    PaymentEntity.RecordGatewayEvent webhook =
        new PaymentEntity.RecordGatewayEvent(null, null, "req-7");
    assertThat(
            ((RequestIds.Traced) roundTrip(webhook, tree -> tree.remove("requestId"))).requestId())
        .isNull();
  }

  @Test
  void withPutsBackTheContextItFound() {
    MDC.remove(RequestIds.MDC_KEY);
    assertThat(RequestIds.with("req-1", RequestIds::current)).isEqualTo("req-1");
    assertThat(RequestIds.current()).isNull();
    MDC.put(RequestIds.MDC_KEY, "outer");
    try {
      RequestIds.run("inner", () -> assertThat(RequestIds.current()).isEqualTo("inner"));
      assertThat(RequestIds.current()).isEqualTo("outer");
      RequestIds.run(null, () -> assertThat(RequestIds.current()).isEqualTo("outer"));
    } finally {
      MDC.remove(RequestIds.MDC_KEY);
    }
  }

  /** Serialized as between nodes, optionally edited on the way as CBOR, and read back. */
  static Object roundTrip(Object message, java.util.function.Consumer<ObjectNode> edit) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertThat(serializer.getClass().getSimpleName()).contains("Jackson");
    String manifest = Serializers.manifestFor(serializer, message);
    byte[] bytes = serialization.serialize(message).get();
    if (edit != null) {
      ObjectMapper cbor =
          JacksonObjectMapperProvider.get(kit.system())
              .getOrCreate("jackson-cbor", Optional.empty());
      try {
        ObjectNode tree = (ObjectNode) cbor.readTree(bytes);
        edit.accept(tree);
        bytes = cbor.writeValueAsBytes(tree);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }
}
