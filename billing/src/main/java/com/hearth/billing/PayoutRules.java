package com.hearth.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of what a payout batch takes, as plain functions over rows {@link Payouts} has read:
 * which bookings wait for a later batch, which refunds are settled, and how items add up to a line
 * per host and currency. No database here; the rules themselves are described on {@link Payouts}.
 */
final class PayoutRules {

  static final String BOOKING = "BOOKING";
  static final String REFUND = "REFUND";

  record Candidate(
      String bookingId,
      String hostId,
      String currency,
      String status,
      long feeCents,
      long hostPayoutCents,
      long policyRefundCents,
      long paidCents) {}

  record RefundRow(
      String refundKey,
      String bookingId,
      String kind,
      String status,
      long amountCents,
      long hostShareCents,
      Instant succeededAt) {}

  record Item(
      String itemId,
      String kind,
      String hostId,
      String bookingId,
      String refundKey,
      String currency,
      long grossCents,
      long feesCents,
      long refundsCents) {

    long amountCents() {
      return grossCents - feesCents - refundsCents;
    }

    static Item booking(Candidate b) {
      return new Item(
          b.bookingId(),
          BOOKING,
          b.hostId(),
          b.bookingId(),
          null,
          b.currency(),
          b.hostPayoutCents() + b.feeCents(),
          b.feeCents(),
          0);
    }

    static Item refund(
        String refundKey, String bookingId, String hostId, String currency, long hostShareCents) {
      return new Item(
          "refund:" + refundKey,
          REFUND,
          hostId,
          bookingId,
          refundKey,
          currency,
          0,
          0,
          hostShareCents);
    }
  }

  /**
   * What a batch made at {@code now} takes of these candidates and their refunds: each booking that
   * does not {@link #waits wait}, with the host's share of its settled refunds taken off; bookings
   * and refunds whose item id is in {@code claimed} are left out.
   */
  static List<Item> items(
      List<Candidate> candidates,
      Map<String, List<RefundRow>> refunds,
      Set<String> claimed,
      Instant now) {
    List<Item> items = new ArrayList<>();
    for (Candidate b : candidates) {
      List<RefundRow> its =
          refunds.getOrDefault(b.bookingId(), List.of()).stream()
              .filter(r -> !claimed.contains("refund:" + r.refundKey()))
              .toList();
      if (waits(b, its, now)) continue;
      items.add(Item.booking(b));
      for (RefundRow r : its)
        if (settled(r, now))
          items.add(
              Item.refund(
                  r.refundKey(), b.bookingId(), b.hostId(), b.currency(), r.hostShareCents()));
    }
    return items;
  }

  /**
   * A booking waits for a later batch while a refund of it is neither settled nor rejected, or,
   * cancelled with a refund under the policy, while that refund has not been requested (and
   * something of the payment is left to refund).
   */
  static boolean waits(Candidate b, List<RefundRow> refunds, Instant now) {
    if (refunds.stream().anyMatch(r -> !settled(r, now) && !over(r))) return true;
    if (!b.status().equals("CANCELLED") || b.policyRefundCents() == 0) return false;
    boolean requested = refunds.stream().anyMatch(r -> r.kind().equals("CANCELLATION"));
    long refundedOrPending =
        refunds.stream().filter(r -> !over(r)).mapToLong(RefundRow::amountCents).sum();
    return !requested && refundedOrPending < b.paidCents();
  }

  /** Refused, or made and then failed: gives nothing back, and will not. */
  static boolean over(RefundRow r) {
    return r.status().equals("REJECTED") || r.status().equals("FAILED");
  }

  /** Succeeded by {@code now}: what a batch made at {@code now} can know of. */
  static boolean settled(RefundRow r, Instant now) {
    return r.status().equals("SUCCEEDED")
        && (r.succeededAt() == null || !r.succeededAt().isAfter(now));
  }

  static List<PayoutLine> linesOf(List<Item> items) {
    Map<List<String>, PayoutLine> lines = new LinkedHashMap<>();
    for (Item i : items)
      lines.merge(
          List.of(i.hostId(), i.currency()),
          new PayoutLine(
              i.hostId(),
              i.currency(),
              i.kind().equals(BOOKING) ? 1 : 0,
              i.grossCents(),
              i.feesCents(),
              i.refundsCents(),
              i.amountCents()),
          (a, b) ->
              new PayoutLine(
                  a.hostId(),
                  a.currency(),
                  a.bookings() + b.bookings(),
                  a.grossCents() + b.grossCents(),
                  a.feesCents() + b.feesCents(),
                  a.refundsCents() + b.refundsCents(),
                  a.payoutCents() + b.payoutCents()));
    return sorted(new ArrayList<>(lines.values()));
  }

  /**
   * By host id, then currency, compared as Java strings: the same order whatever the database's
   * collation.
   */
  static List<PayoutLine> sorted(List<PayoutLine> lines) {
    return lines.stream()
        .sorted(Comparator.comparing(PayoutLine::hostId).thenComparing(PayoutLine::currency))
        .toList();
  }

  private PayoutRules() {}
}
