package com.hearth.billing;

import com.hearth.engine.payment.PaymentGateway;
import com.hearth.engine.payment.PaymentGateway.GatewayRejected;
import com.hearth.engine.payment.PaymentGateway.Intent;
import com.hearth.engine.payment.PaymentGateway.IntentStatus;
import com.hearth.engine.payment.PaymentGateway.Refund;
import com.hearth.engine.payment.PaymentGateway.RefundStatus;
import com.hearth.projections.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Compares what the payment gateway holds with the read tables, for a period {@code [from, to)},
 * and reports every difference; a clean run reports none.
 *
 * <p><b>What is compared.</b> The gateway's payment intents with {@code payments}, matched by
 * intent id (or, for an intent the platform has not recorded, by the {@code booking_id} in its
 * metadata); the gateway's refunds with {@code refunds}, matched by {@code gateway_refund_id} (or
 * by a {@code refund_key} in the refund's metadata, or else by booking and amount among the
 * booking's refunds that have no gateway id yet). An intent or refund belongs to the period when
 * the gateway created it in it; a platform payment when it was requested in it, a platform refund
 * when it succeeded in it. Both sides are read over a margin on each side of the period, so that a
 * pair straddling a boundary is still a pair; a platform payment whose intent is not among the
 * gateway's is looked up by id before it is called platform-only.
 *
 * <p><b>Kinds.</b> {@code GATEWAY_ONLY}: the gateway has it, the platform does not (or has another
 * intent for the booking). {@code PLATFORM_ONLY}: the platform recorded a gateway object the
 * gateway does not have. {@code AMOUNT_DIFFERS}: the amount or currency, and for an intent also the
 * amount received against {@code paid_cents}. {@code STATUS_DIFFERS}: the statuses do not
 * correspond:
 *
 * <pre>
 * intent SUCCEEDED                                    payment SUCCEEDED
 * intent REQUIRES_PAYMENT_METHOD, REQUIRES_CONFIRMATION,
 *        REQUIRES_ACTION, PROCESSING, REQUIRES_CAPTURE,
 *        CANCELED (nothing received)                  payment REQUIRES_PAYMENT or FAILED
 * refund SUCCEEDED                                    refund SUCCEEDED
 * refund PENDING, REQUIRES_ACTION (accepted, settling) refund SUCCEEDED or REQUESTED
 * refund FAILED, CANCELED                             refund REJECTED or FAILED
 * </pre>
 *
 * {@code REFUND_FAILED}: not a difference but work for an operator. A refund the gateway made and
 * later reported failed (the renter's card or account no longer takes it) is FAILED on the
 * platform; the money is back with the platform and the renter has not received it. Every refund
 * that failed in the period is listed, so that someone returns the money another way or asks for a
 * new refund under a new key. A difference still settling (a webhook on its way) shows up too: run
 * it for periods that ended some minutes ago.
 */
public final class Reconciliation {

  public static final String CSV_HEADER =
      "kind,object,id,booking_id,gateway_amount_cents,platform_amount_cents,gateway_status,platform_status,detail";
  public static final String INTENT = "payment_intent";
  public static final String REFUND = "refund";

  /** How far past the period both sides are read, by default. */
  public static final Duration DEFAULT_MARGIN = Duration.ofHours(1);

  private static final int IDS_PER_QUERY = 500;

  public enum Kind {
    GATEWAY_ONLY,
    PLATFORM_ONLY,
    AMOUNT_DIFFERS,
    STATUS_DIFFERS,
    REFUND_FAILED
  }

  /** One difference. Amounts in minor units; null where that side has nothing. */
  public record Mismatch(
      Kind kind,
      String object,
      String id,
      String bookingId,
      Long gatewayAmountCents,
      Long platformAmountCents,
      String gatewayStatus,
      String platformStatus,
      String detail) {}

  private record PaymentRow(
      String bookingId,
      String intentId,
      long amountCents,
      String currency,
      String status,
      long paidCents,
      Instant requestedAt) {}

  private record RefundRow(
      String refundKey,
      String bookingId,
      long amountCents,
      String currency,
      String status,
      String gatewayRefundId,
      Instant succeededAt,
      Instant failedAt,
      String failureReason) {}

  private final PaymentGateway gateway;
  private final DataSource dataSource;
  private final Duration margin;

  public Reconciliation(PaymentGateway gateway, DataSource dataSource) {
    this(gateway, dataSource, DEFAULT_MARGIN);
  }

  public Reconciliation(PaymentGateway gateway, DataSource dataSource, Duration margin) {
    this.gateway = gateway;
    this.dataSource = dataSource;
    this.margin = margin;
  }

  /**
   * The differences for {@code [from, to)}, sorted by object, id and kind. The gateway is asked
   * without blocking; the read tables are read on {@code jdbc}. Fails with the gateway's {@code
   * GatewayUnavailable} when it cannot be reached, or an {@code IllegalStateException} when the
   * database fails.
   */
  public CompletionStage<List<Mismatch>> run(Instant from, Instant to, Executor jdbc) {
    if (!from.isBefore(to)) throw new IllegalArgumentException("from must be before to");
    Instant wideFrom = from.minus(margin);
    Instant wideTo = to.plus(margin);
    CompletableFuture<List<Intent>> intents =
        gateway.listIntents(wideFrom, wideTo).toCompletableFuture();
    CompletableFuture<List<Refund>> refunds =
        gateway.listRefunds(wideFrom, wideTo).toCompletableFuture();
    return intents
        .thenCombine(refunds, Comparison::new)
        .thenApplyAsync(
            comparison -> {
              comparison.load(wideFrom, wideTo);
              return comparison;
            },
            jdbc)
        .thenCompose(comparison -> comparison.compare(from, to));
  }

  public static String csv(List<Mismatch> mismatches) {
    List<List<Object>> rows = new ArrayList<>();
    for (Mismatch m : mismatches)
      rows.add(
          Arrays.asList(
              m.kind(),
              m.object(),
              m.id(),
              m.bookingId(),
              m.gatewayAmountCents(),
              m.platformAmountCents(),
              m.gatewayStatus(),
              m.platformStatus(),
              m.detail()));
    return Csv.of(CSV_HEADER, rows);
  }

  /**
   * One run: the gateway's objects, the platform's rows that may match them, and the differences.
   */
  private final class Comparison {
    final List<Intent> intents;
    final List<Refund> refunds;
    final Map<String, PaymentRow> paymentsByBooking = new HashMap<>();
    final Map<String, PaymentRow> paymentsByIntent = new HashMap<>();
    final Map<String, RefundRow> refundsByKey = new HashMap<>();
    final Map<String, RefundRow> refundsByGatewayId = new HashMap<>();
    final Set<String> claimed = new HashSet<>();
    final List<Mismatch> found = new ArrayList<>();

    Comparison(List<Intent> intents, List<Refund> refunds) {
      this.intents = intents;
      this.refunds = refunds;
    }

    /**
     * Reads the platform's side: the periods' rows, then whatever else the gateway's objects point
     * at.
     */
    void load(Instant wideFrom, Instant wideTo) {
      try (Connection c = dataSource.getConnection()) {
        c.setReadOnly(true);
        String payments =
            "SELECT booking_id, intent_id, amount_cents, currency, status, paid_cents, requested_at"
                + " FROM payments WHERE ";
        String refundRows =
            "SELECT refund_key, booking_id, amount_cents, currency, status, gateway_refund_id,"
                + " succeeded_at, failed_at, failure_reason FROM refunds WHERE ";
        addPayments(
            query(
                c,
                payments + "requested_at >= ? AND requested_at < ?",
                List.of(wideFrom, wideTo),
                this::payment));
        addPayments(
            byIds(
                c,
                payments + "intent_id",
                missing(intents, Intent::id, paymentsByIntent.keySet()),
                this::payment));
        addPayments(
            byIds(
                c,
                payments + "booking_id",
                missing(
                    intents,
                    i ->
                        paymentsByIntent.containsKey(i.id())
                            ? null
                            : meta(i.metadata(), "booking_id"),
                    paymentsByBooking.keySet()),
                this::payment));
        addRefunds(
            query(
                c,
                refundRows + "succeeded_at >= ? AND succeeded_at < ?",
                List.of(wideFrom, wideTo),
                this::refund));
        addRefunds(
            query(
                c,
                refundRows + "failed_at >= ? AND failed_at < ?",
                List.of(wideFrom, wideTo),
                this::refund));
        addRefunds(
            byIds(
                c,
                refundRows + "gateway_refund_id",
                missing(refunds, Refund::id, refundsByGatewayId.keySet()),
                this::refund));
        addRefunds(
            byIds(
                c,
                refundRows + "refund_key",
                missing(
                    refunds,
                    r -> refundsByGatewayId.containsKey(r.id()) ? null : keyOf(r),
                    refundsByKey.keySet()),
                this::refund));
        addRefunds(
            byIds(
                c,
                refundRows + "booking_id",
                missing(
                    refunds,
                    r ->
                        refundsByGatewayId.containsKey(r.id())
                            ? null
                            : meta(r.metadata(), "booking_id"),
                    Set.of()),
                this::refund));
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot read the payments' read tables: " + e.getMessage(), e);
      }
    }

    private void addPayments(List<PaymentRow> rows) {
      for (PaymentRow p : rows) {
        paymentsByBooking.put(p.bookingId(), p);
        if (p.intentId() != null) paymentsByIntent.put(p.intentId(), p);
      }
    }

    private void addRefunds(List<RefundRow> rows) {
      for (RefundRow r : rows) {
        refundsByKey.put(r.refundKey(), r);
        if (r.gatewayRefundId() != null) refundsByGatewayId.put(r.gatewayRefundId(), r);
      }
    }

    PaymentRow payment(ResultSet rs) throws SQLException {
      return new PaymentRow(
          rs.getString(1),
          rs.getString(2),
          rs.getLong(3),
          rs.getString(4),
          rs.getString(5),
          rs.getLong(6),
          Sql.instant(rs, 7));
    }

    RefundRow refund(ResultSet rs) throws SQLException {
      return new RefundRow(
          rs.getString(1),
          rs.getString(2),
          rs.getLong(3),
          rs.getString(4),
          rs.getString(5),
          rs.getString(6),
          Sql.instant(rs, 7),
          Sql.instant(rs, 8),
          rs.getString(9));
    }

    /** Pairs the two sides; platform intents the gateway did not list are then asked for by id. */
    CompletionStage<List<Mismatch>> compare(Instant from, Instant to) {
      Set<String> listed = new HashSet<>();
      for (Intent i : intents) {
        listed.add(i.id());
        if (within(i.createdAt(), from, to)) compareIntent(i);
      }
      Set<String> refundsSeen = new HashSet<>();
      for (Refund r : refunds) {
        RefundRow match = matchRefund(r);
        if (match != null) refundsSeen.add(match.refundKey());
        if (within(r.createdAt(), from, to)) compareRefund(r, match);
      }
      for (RefundRow r : sortedBy(refundsByKey.values(), RefundRow::refundKey)) {
        if (r.gatewayRefundId() == null
            || refundsSeen.contains(r.refundKey())
            || r.succeededAt() == null
            || !within(r.succeededAt(), from, to)) continue;
        found.add(
            new Mismatch(
                Kind.PLATFORM_ONLY,
                REFUND,
                r.gatewayRefundId(),
                r.bookingId(),
                null,
                r.amountCents(),
                null,
                r.status(),
                "the gateway lists no such refund (refund key " + r.refundKey() + ")"));
      }
      for (RefundRow r : sortedBy(refundsByKey.values(), RefundRow::refundKey)) {
        if (!r.status().equals("FAILED") || r.failedAt() == null || !within(r.failedAt(), from, to))
          continue;
        found.add(
            new Mismatch(
                Kind.REFUND_FAILED,
                REFUND,
                r.gatewayRefundId() != null ? r.gatewayRefundId() : r.refundKey(),
                r.bookingId(),
                null,
                r.amountCents(),
                null,
                r.status(),
                "the gateway made this refund, then it failed ("
                    + r.failureReason()
                    + "): the renter has not received "
                    + r.amountCents()
                    + " "
                    + r.currency()
                    + "; return it another way or refund again under a new key (refund key "
                    + r.refundKey()
                    + ")"));
      }
      List<PaymentRow> unlisted =
          sortedBy(paymentsByIntent.values(), PaymentRow::intentId).stream()
              .filter(p -> !listed.contains(p.intentId()) && within(p.requestedAt(), from, to))
              .toList();
      CompletionStage<Void> lookups = CompletableFuture.completedFuture(null);
      for (PaymentRow p : unlisted)
        lookups =
            lookups.thenCompose(
                done ->
                    gateway
                        .retrieveIntent(p.intentId())
                        .handle(
                            (intent, failure) -> {
                              if (failure == null) compareIntent(intent);
                              else if (cause(failure) instanceof GatewayRejected rejected
                                  && rejected.status() == 404)
                                found.add(
                                    new Mismatch(
                                        Kind.PLATFORM_ONLY,
                                        INTENT,
                                        p.intentId(),
                                        p.bookingId(),
                                        null,
                                        p.amountCents(),
                                        null,
                                        p.status(),
                                        "the gateway has no such payment intent"));
                              else throw new CompletionException(cause(failure));
                              return null;
                            }));
      return lookups.thenApply(
          done ->
              found.stream()
                  .sorted(
                      Comparator.comparing(Mismatch::object)
                          .thenComparing(Mismatch::id)
                          .thenComparing(Mismatch::kind)
                          .thenComparing(Mismatch::detail))
                  .toList());
    }

    private void compareIntent(Intent i) {
      String bookingId = meta(i.metadata(), "booking_id");
      PaymentRow p = paymentsByIntent.get(i.id());
      if (p == null) {
        PaymentRow ofBooking = bookingId == null ? null : paymentsByBooking.get(bookingId);
        String detail =
            bookingId == null
                ? "no booking_id in its metadata; not made by Hearth?"
                : ofBooking == null
                    ? "the platform has no payment for this booking"
                    : ofBooking.intentId() != null
                        ? "the booking's payment records another intent, " + ofBooking.intentId()
                        : null;
        if (detail != null) {
          found.add(
              new Mismatch(
                  Kind.GATEWAY_ONLY,
                  INTENT,
                  i.id(),
                  bookingId,
                  i.amountCents(),
                  ofBooking == null ? null : ofBooking.amountCents(),
                  i.status().name(),
                  ofBooking == null ? null : ofBooking.status(),
                  detail));
          return;
        }
        // The booking's payment asked for an intent and has not recorded it yet.
        found.add(
            new Mismatch(
                Kind.STATUS_DIFFERS,
                INTENT,
                i.id(),
                bookingId,
                i.amountCents(),
                ofBooking.amountCents(),
                i.status().name(),
                ofBooking.status(),
                "the booking's payment has not recorded this intent"));
        return;
      }
      if (i.amountCents() != p.amountCents() || !i.currency().equalsIgnoreCase(p.currency()))
        found.add(
            new Mismatch(
                Kind.AMOUNT_DIFFERS,
                INTENT,
                i.id(),
                p.bookingId(),
                i.amountCents(),
                p.amountCents(),
                i.status().name(),
                p.status(),
                "amount: gateway "
                    + i.amountCents()
                    + " "
                    + i.currency()
                    + ", platform "
                    + p.amountCents()
                    + " "
                    + p.currency()));
      if (i.amountReceivedCents() != p.paidCents())
        found.add(
            new Mismatch(
                Kind.AMOUNT_DIFFERS,
                INTENT,
                i.id(),
                p.bookingId(),
                i.amountReceivedCents(),
                p.paidCents(),
                i.status().name(),
                p.status(),
                "received: gateway amount_received "
                    + i.amountReceivedCents()
                    + ", platform paid_cents "
                    + p.paidCents()));
      if (!agrees(i.status(), p.status()))
        found.add(
            new Mismatch(
                Kind.STATUS_DIFFERS,
                INTENT,
                i.id(),
                p.bookingId(),
                i.amountCents(),
                p.amountCents(),
                i.status().name(),
                p.status(),
                "status: gateway " + i.status() + " expects platform " + expected(i.status())));
    }

    private RefundRow matchRefund(Refund r) {
      RefundRow byId = refundsByGatewayId.get(r.id());
      if (byId != null) return byId;
      String key = keyOf(r);
      RefundRow byKey = key == null ? null : refundsByKey.get(key);
      if (byKey != null && byKey.gatewayRefundId() == null && claimed.add(byKey.refundKey()))
        return byKey;
      String bookingId = meta(r.metadata(), "booking_id");
      if (bookingId == null) return null;
      List<RefundRow> unrecorded =
          refundsByKey.values().stream()
              .filter(
                  x ->
                      x.bookingId().equals(bookingId)
                          && x.gatewayRefundId() == null
                          && x.amountCents() == r.amountCents())
              .toList();
      // Only an unambiguous candidate, and each at most once: another gateway refund is not this
      // one.
      return unrecorded.size() == 1 && claimed.add(unrecorded.get(0).refundKey())
          ? unrecorded.get(0)
          : null;
    }

    private void compareRefund(Refund r, RefundRow p) {
      String bookingId = meta(r.metadata(), "booking_id");
      if (p == null) {
        found.add(
            new Mismatch(
                Kind.GATEWAY_ONLY,
                REFUND,
                r.id(),
                bookingId,
                r.amountCents(),
                null,
                r.status().name(),
                null,
                "the platform has no refund with this gateway id (intent " + r.intentId() + ")"));
        return;
      }
      if (r.amountCents() != p.amountCents() || !r.currency().equalsIgnoreCase(p.currency()))
        found.add(
            new Mismatch(
                Kind.AMOUNT_DIFFERS,
                REFUND,
                r.id(),
                p.bookingId(),
                r.amountCents(),
                p.amountCents(),
                r.status().name(),
                p.status(),
                "amount: gateway "
                    + r.amountCents()
                    + " "
                    + r.currency()
                    + ", platform "
                    + p.amountCents()
                    + " "
                    + p.currency()
                    + " (refund key "
                    + p.refundKey()
                    + ")"));
      boolean recorded = r.id().equals(p.gatewayRefundId());
      if (!recorded || !agrees(r.status(), p.status()))
        found.add(
            new Mismatch(
                Kind.STATUS_DIFFERS,
                REFUND,
                r.id(),
                p.bookingId(),
                r.amountCents(),
                p.amountCents(),
                r.status().name(),
                p.status(),
                (recorded ? "" : "the platform has not recorded this refund's id; ")
                    + "status: gateway "
                    + r.status()
                    + " expects platform "
                    + expected(r.status())
                    + " (refund key "
                    + p.refundKey()
                    + ")"));
    }
  }

  // ---------------------------------------------------------------- status mapping

  static boolean agrees(IntentStatus gateway, String platform) {
    return expected(gateway).contains(platform);
  }

  static List<String> expected(IntentStatus gateway) {
    return gateway == IntentStatus.SUCCEEDED
        ? List.of("SUCCEEDED")
        : List.of("REQUIRES_PAYMENT", "FAILED");
  }

  static boolean agrees(RefundStatus gateway, String platform) {
    return expected(gateway).contains(platform);
  }

  static List<String> expected(RefundStatus gateway) {
    return switch (gateway) {
      case SUCCEEDED -> List.of("SUCCEEDED");
      case PENDING, REQUIRES_ACTION -> List.of("SUCCEEDED", "REQUESTED");
      case FAILED, CANCELED -> List.of("REJECTED", "FAILED");
    };
  }

  // ---------------------------------------------------------------- plumbing

  /** The refund's idempotency key, when the gateway kept it in the metadata. */
  private static String keyOf(Refund r) {
    String key = meta(r.metadata(), "refund_key");
    return key != null ? key : meta(r.metadata(), "idempotency_key");
  }

  private static String meta(Map<String, String> metadata, String key) {
    return metadata == null ? null : metadata.get(key);
  }

  private static boolean within(Instant at, Instant from, Instant to) {
    return at != null && !at.isBefore(from) && at.isBefore(to);
  }

  /**
   * The distinct non-null values of {@code key} over {@code objects} that are not in {@code known},
   * sorted.
   */
  private static <T> List<String> missing(
      List<T> objects, Function<T, String> key, Set<String> known) {
    return objects.stream()
        .map(key)
        .filter(Objects::nonNull)
        .filter(k -> !known.contains(k))
        .distinct()
        .sorted()
        .toList();
  }

  private static <T> List<T> sortedBy(Collection<T> values, Function<T, String> key) {
    return values.stream().sorted(Comparator.comparing(key)).toList();
  }

  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private static <T> List<T> query(Connection c, String sql, List<Object> args, RowReader<T> reader)
      throws SQLException {
    List<T> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(reader.read(rs));
      }
    }
    return out;
  }

  /** {@code select + " IN (...)"} over {@code ids}, a chunk at a time. */
  private static <T> List<T> byIds(
      Connection c, String select, List<String> ids, RowReader<T> reader) throws SQLException {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += IDS_PER_QUERY) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_QUERY));
      out.addAll(
          query(
              c,
              select + " IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")",
              new ArrayList<>(chunk),
              reader));
    }
    return out;
  }

  private static Throwable cause(Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException && cause.getCause() != null)
      cause = cause.getCause();
    return cause;
  }
}
