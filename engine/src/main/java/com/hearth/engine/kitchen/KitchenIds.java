package com.hearth.engine.kitchen;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Kitchen and booking identifiers. A booking id embeds its kitchen's id, so any node can route a
 * request for the booking to the kitchen entity without reading a database: {@code bk_<32 hex
 * digits of the kitchen uuid><16 random hex digits>}.
 */
public final class KitchenIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private KitchenIds() {}

  public static String newKitchenId() {
    return UUID.randomUUID().toString();
  }

  /**
   * The same host and idempotency key always name the same kitchen, so a retried create finds it.
   */
  public static String kitchenIdFor(String hostId, String idempotencyKey) {
    return UUID.nameUUIDFromBytes(
            ("kitchen:" + hostId.length() + ":" + hostId + ":" + idempotencyKey)
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * Whether {@code id} is a lower-case UUID such as {@code newKitchenId} makes. Checked by hand,
   * not with a regular expression: every request that names a kitchen or a booking passes here.
   */
  public static boolean isKitchenId(String id) {
    if (id == null || id.length() != 36) return false;
    for (int i = 0; i < 36; i++) {
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? id.charAt(i) != '-' : !isLowerHex(id.charAt(i))) return false;
    }
    return true;
  }

  public static String newBookingId(String kitchenId) {
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    return "bk_" + kitchenId.replace("-", "") + HexFormat.of().formatHex(suffix);
  }

  /** The kitchen a booking id belongs to, or empty when the id is not one of ours. */
  public static Optional<String> kitchenOf(String bookingId) {
    if (bookingId == null || bookingId.length() != 51 || !bookingId.startsWith("bk_"))
      return Optional.empty();
    for (int i = 3; i < 51; i++) if (!isLowerHex(bookingId.charAt(i))) return Optional.empty();
    String hex = bookingId.substring(3, 35);
    return Optional.of(
        hex.substring(0, 8)
            + "-"
            + hex.substring(8, 12)
            + "-"
            + hex.substring(12, 16)
            + "-"
            + hex.substring(16, 20)
            + "-"
            + hex.substring(20));
  }

  private static boolean isLowerHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
