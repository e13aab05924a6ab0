package com.hearth.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A week's batch as recorded; {@code created} is true only for the call that made it. Lines are
 * sorted by host id, then currency.
 */
public record PayoutBatch(
    String week,
    LocalDate weekStart,
    LocalDate weekEnd,
    Instant createdAt,
    String createdBy,
    boolean created,
    List<PayoutLine> lines) {

  public PayoutBatch {
    lines = List.copyOf(lines);
  }

  /** One row per line under {@link Payouts#CSV_HEADER}, RFC 4180. */
  public String csv() {
    List<List<Object>> rows = new ArrayList<>();
    for (PayoutLine l : lines)
      rows.add(
          Arrays.asList(
              l.hostId(),
              l.hostName() == null ? "" : l.hostName(),
              l.hostEmail() == null ? "" : l.hostEmail(),
              l.currency(),
              l.bookings(),
              l.grossCents(),
              l.feesCents(),
              l.refundsCents(),
              l.payoutCents()));
    return Csv.of(Payouts.CSV_HEADER, rows);
  }
}
