package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KitchenIdsTest {

  @Test
  void bookingIdRoundTripsToItsKitchen() {
    for (int i = 0; i < 50; i++) {
      String kitchenId = KitchenIds.newKitchenId();
      assertThat(KitchenIds.isKitchenId(kitchenId)).isTrue();
      String bookingId = KitchenIds.newBookingId(kitchenId);
      assertThat(bookingId).matches("bk_[0-9a-f]{48}");
      assertThat(KitchenIds.kitchenOf(bookingId)).contains(kitchenId);
    }
  }

  @Test
  void knownBookingIdDecodes() {
    // "bk_" + the 32 hex digits of the kitchen uuid + 16 random hex digits.
    assertThat(KitchenIds.kitchenOf("bk_123e4567e89b12d3a4564266141740000011223344556677"))
        .contains("123e4567-e89b-12d3-a456-426614174000");
  }

  @Test
  void bookingIdsOfOneKitchenAreDistinct() {
    String kitchenId = KitchenIds.newKitchenId();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) ids.add(KitchenIds.newBookingId(kitchenId));
    assertThat(ids).hasSize(1000);
  }

  @Test
  void rejectsMalformedBookingIds() {
    String valid = "bk_123e4567e89b12d3a4564266141740000011223344556677";
    assertThat(KitchenIds.kitchenOf(null)).isEmpty();
    assertThat(KitchenIds.kitchenOf("")).isEmpty();
    assertThat(KitchenIds.kitchenOf("bk_")).isEmpty();
    assertThat(KitchenIds.kitchenOf(valid.substring(0, valid.length() - 1)))
        .as("47 hex digits")
        .isEmpty();
    assertThat(KitchenIds.kitchenOf(valid + "0")).as("49 hex digits").isEmpty();
    assertThat(KitchenIds.kitchenOf(valid.toUpperCase())).as("upper case").isEmpty();
    assertThat(KitchenIds.kitchenOf("bk_123E4567e89b12d3a4564266141740000011223344556677"))
        .as("one upper-case digit")
        .isEmpty();
    assertThat(KitchenIds.kitchenOf("xx_123e4567e89b12d3a4564266141740000011223344556677"))
        .as("wrong prefix")
        .isEmpty();
    assertThat(KitchenIds.kitchenOf("bk_123e4567e89b12d3a456426614174000001122334455667g"))
        .as("non-hex")
        .isEmpty();
    assertThat(KitchenIds.kitchenOf("bk_123e4567-e89b-12d3-a456-4266141740000011223344556677"))
        .as("dashes")
        .isEmpty();
    assertThat(KitchenIds.kitchenOf(valid + "\n")).as("trailing newline").isEmpty();
    assertThat(KitchenIds.kitchenOf(" " + valid)).as("leading space").isEmpty();
    assertThat(KitchenIds.kitchenOf("123e4567-e89b-12d3-a456-426614174000"))
        .as("a kitchen id")
        .isEmpty();
  }

  @Test
  void recognisesKitchenIds() {
    assertThat(KitchenIds.isKitchenId("123e4567-e89b-12d3-a456-426614174000")).isTrue();
    assertThat(KitchenIds.isKitchenId(null)).isFalse();
    assertThat(KitchenIds.isKitchenId("123e4567e89b12d3a456426614174000")).isFalse();
    assertThat(KitchenIds.isKitchenId("123E4567-E89B-12D3-A456-426614174000")).isFalse();
    assertThat(KitchenIds.isKitchenId("123e4567-e89b-12d3-a456-42661417400")).isFalse();
    assertThat(KitchenIds.isKitchenId("123e4567-e89b-12d3-a456-4266141740000"))
        .as("37 characters")
        .isFalse();
    assertThat(KitchenIds.isKitchenId("123e4567e-89b-12d3-a456-426614174000"))
        .as("dash moved")
        .isFalse();
    assertThat(KitchenIds.isKitchenId("123e4567-e89b-12d3-a456-42661417400g"))
        .as("non-hex")
        .isFalse();
    assertThat(KitchenIds.isKitchenId("")).isFalse();
  }

  @Test
  void kitchenIdForIsDeterministicPerHostAndKey() {
    String first = KitchenIds.kitchenIdFor("host-1", "key-1");
    assertThat(KitchenIds.kitchenIdFor("host-1", "key-1")).isEqualTo(first);
    assertThat(KitchenIds.isKitchenId(first)).isTrue();
    // A name-based (version 3) uuid.
    assertThat(first.charAt(14)).isEqualTo('3');
    assertThat(KitchenIds.kitchenIdFor("host-2", "key-1")).as("another host").isNotEqualTo(first);
    assertThat(KitchenIds.kitchenIdFor("host-1", "key-2")).as("another key").isNotEqualTo(first);
    // Booking ids made for it route back to it.
    assertThat(KitchenIds.kitchenOf(KitchenIds.newBookingId(first))).contains(first);
  }
}
