package com.hearth.engine.kitchen;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Kitchen and booking identifiers. A booking id embeds its kitchen's id, so any node can route a
 * request for the booking to the kitchen entity without reading a database:
 * {@code bk_<32 hex digits of the kitchen uuid><16 random hex digits>}.
 */
public final class KitchenIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern BOOKING_ID = Pattern.compile("bk_[0-9a-f]{48}");
  private static final Pattern KITCHEN_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private KitchenIds() {}

  public static String newKitchenId() {
    return UUID.randomUUID().toString();
  }

  /** The same host and idempotency key always name the same kitchen, so a retried create finds it. */
  public static String kitchenIdFor(String hostId, String idempotencyKey) {
    return UUID.nameUUIDFromBytes(
            ("kitchen:" + hostId.length() + ":" + hostId + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  public static boolean isKitchenId(String id) {
    return id != null && KITCHEN_ID.matcher(id).matches();
  }

  public static String newBookingId(String kitchenId) {
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    return "bk_" + kitchenId.replace("-", "") + HexFormat.of().formatHex(suffix);
  }

  /** The kitchen a booking id belongs to, or empty when the id is not one of ours. */
  public static Optional<String> kitchenOf(String bookingId) {
    if (bookingId == null || !BOOKING_ID.matcher(bookingId).matches()) return Optional.empty();
    String hex = bookingId.substring(3, 35);
    return Optional.of(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
        + hex.substring(16, 20) + "-" + hex.substring(20));
  }
}
