package com.hearth.billing;

/**
 * What a batch pays one host in one currency; {@code payoutCents = grossCents - feesCents -
 * refundsCents}.
 */
public record PayoutLine(
    String hostId,
    String currency,
    int bookings,
    long grossCents,
    long feesCents,
    long refundsCents,
    long payoutCents,
    String hostName,
    String hostEmail) {

  PayoutLine(
      String hostId,
      String currency,
      int bookings,
      long grossCents,
      long feesCents,
      long refundsCents,
      long payoutCents) {
    this(hostId, currency, bookings, grossCents, feesCents, refundsCents, payoutCents, null, null);
  }

  PayoutLine withContact(String[] contact) {
    return new PayoutLine(
        hostId,
        currency,
        bookings,
        grossCents,
        feesCents,
        refundsCents,
        payoutCents,
        contact[0],
        contact[1]);
  }
}
