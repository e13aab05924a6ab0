package com.hearth.billing;

import com.hearth.billing.PayoutRules.Candidate;
import com.hearth.billing.PayoutRules.Item;
import com.hearth.billing.PayoutRules.RefundRow;
import com.hearth.projections.Sql;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Weekly host payouts, made once per ISO week and kept. The first call for a week records a payout
 * batch (its lines per host and currency, and an item for everything it pays for or takes off) in
 * one transaction; every later call returns that batch unchanged, so its CSV is the same byte for
 * byte however often it is asked for.
 *
 * <p><b>Weeks</b> are ISO weeks in UTC: {@code 2026-W48} runs from Monday 2026-11-23T00:00Z to
 * Monday 2026-11-30T00:00Z, exclusive. UTC rather than each kitchen's zone, because one batch pays
 * hosts whose kitchens lie in many zones and a booking must fall in exactly one week. A week that
 * has not ended is refused.
 *
 * <p><b>What a batch pays.</b> A booking is paid out when it has ended before the week's end, was
 * paid and confirmed by its payment ({@code payments.paid_cents > 0}, outcome {@code CONFIRMED}),
 * is CONFIRMED (ended, completion not recorded yet), COMPLETED or CANCELLED after it was confirmed
 * (the host keeps what the cancellation policy did not refund), and has not been paid out by any
 * batch. So a booking is paid by the batch of the week it ended in, or, when its payment or outcome
 * reached the read tables late, by the first batch made after that. It adds its host payout, less
 * the host's share of its refunds that have succeeded. It waits for a later batch while one of its
 * refunds is still in flight, or while the refund its cancellation grants has not been requested
 * yet, so that a host is not paid money that is on its way back to the renter. Then, a refund that
 * succeeded after its booking was paid out is taken off: its host share is an adjustment of the
 * host's line in the next batch made. A refund that fails at the gateway after it was made (status
 * FAILED) gives nothing back: it is never taken off, and one already taken off is given back to the
 * host by the next batch (an item {@code 'refund-failed:'} + its key).
 *
 * <p><b>Never twice.</b> {@code payout_items} holds one row per booking paid out (key: the booking
 * id) and per refund taken off (key: {@code 'refund:'} + the refund key), including the refunds
 * already deducted from a booking's first payout; the primary key makes a second payout of either
 * impossible, also between concurrent batches of different weeks (the loser starts over). Two
 * concurrent calls for the same week both try to insert the batch's row; the second fails on the
 * week's primary key and returns the first one's batch.
 *
 * <p><b>Money.</b> Integer minor units. On every item, line and CSV row: {@code payout = gross -
 * fees - refunds}, where gross is the bookings' subtotals before tax (host payout + platform fee;
 * tax is the platform's to remit and never the host's), fees are the platform fees, and refunds are
 * the host's shares of refunds ({@code refunds.host_share_cents}). A line of adjustments alone has
 * a negative payout: what the host owes back.
 *
 * <p>Every method blocks on JDBC; callers run it on a dispatcher meant for that.
 */
public final class Payouts {

  /**
   * The CSV's columns. host_name and host_email come from the host's profile (legal name, contact
   * e-mail), else from the token claims its kitchen was created with, else they are empty.
   */
  public static final String CSV_HEADER =
      "host_id,host_name,host_email,currency,bookings,gross_cents,fees_cents,refunds_cents,payout_cents";

  private static final int ATTEMPTS = 5;
  private static final int IDS_PER_QUERY = 500;

  /** Not an ISO week {@code YYYY-Www}; the routes answer 400. */
  public static final class BadWeek extends IllegalArgumentException {
    public BadWeek(String message) {
      super(message);
    }
  }

  /** The week has not ended yet, so its bookings are not all known; the routes answer 422. */
  public static final class WeekNotOver extends IllegalArgumentException {
    WeekNotOver(IsoWeek week, Instant now) {
      super(
          week.label()
              + " ends at "
              + week.end()
              + " (UTC); its payouts can be made from then on, not at "
              + now);
    }
  }

  private final DataSource dataSource;

  public Payouts(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The batch of {@code isoWeek}: the one recorded, or a new one made and recorded now.
   *
   * @throws BadWeek when {@code isoWeek} is not {@code YYYY-Www}
   * @throws WeekNotOver when the week ends after {@code now}
   * @throws IllegalStateException when the database fails
   */
  public PayoutBatch payoutFor(String isoWeek, String createdBy, Instant now) {
    IsoWeek week = IsoWeek.parse(isoWeek);
    if (createdBy == null || createdBy.isBlank())
      throw new IllegalArgumentException("a batch needs who makes it");
    if (week.end().isAfter(now)) throw new WeekNotOver(week, now);
    Instant at = now.truncatedTo(ChronoUnit.MICROS); // what both databases store
    SQLException collision = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          Optional<PayoutBatch> recorded = recorded(c, week.label());
          PayoutBatch batch = recorded.isPresent() ? recorded.get() : make(c, week, createdBy, at);
          c.commit();
          return batch;
        } catch (SQLException e) {
          c.rollback();
          if (!isCollision(e)) throw e;
          // Someone else made this week's batch (theirs stands), or paid out one of our items first
          // (start over).
          collision = e;
          Optional<PayoutBatch> theirs = recorded(c, week.label());
          c.commit();
          if (theirs.isPresent()) return theirs.get();
        }
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot make the payouts of " + week.label() + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException(
        "the payouts of " + week.label() + " kept colliding with concurrent batches", collision);
  }

  /** The most weeks one {@link #hostWeeks} call covers. */
  public static final int MAX_HOST_WEEKS = 26;

  /**
   * One host's payout of one week. {@code closed}: the week's batch is recorded, and these are its
   * lines for the host (they never change). Otherwise provisional: what a batch of the week made at
   * the time of the call would pay the host, the earlier provisional weeks of the same call made
   * first; it changes as bookings end, are paid, cancelled or refunded, and as batches are made.
   * One line per currency; none when the week pays the host nothing.
   */
  public record HostWeek(
      String week,
      LocalDate weekStart,
      LocalDate weekEnd,
      boolean closed,
      Instant batchCreatedAt,
      List<PayoutLine> lines) {

    public HostWeek {
      lines = List.copyOf(lines);
    }
  }

  /**
   * The payouts of {@code hostId} for the weeks {@code from} to {@code to}, both included, oldest
   * first: the recorded batch's lines for the host where the week has a batch, else a preview made
   * by the same code as a batch, recording nothing (see {@link HostWeek}).
   *
   * @throws BadWeek when a week is not {@code YYYY-Www}, {@code to} is before {@code from}, or the
   *     range spans more than {@link #MAX_HOST_WEEKS} weeks
   * @throws IllegalStateException when the database fails
   */
  public List<HostWeek> hostWeeks(String hostId, IsoWeek from, IsoWeek to, Instant now) {
    if (to.monday().isBefore(from.monday())) throw new BadWeek("must not be before from_week");
    long weeks = ChronoUnit.WEEKS.between(from.monday(), to.monday()) + 1;
    if (weeks > MAX_HOST_WEEKS)
      throw new BadWeek(
          "the range spans " + weeks + " weeks; at most " + MAX_HOST_WEEKS + " at a time");
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try {
        List<HostWeek> out = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        for (LocalDate monday = from.monday();
            !monday.isAfter(to.monday());
            monday = monday.plusWeeks(1)) {
          IsoWeek week = IsoWeek.of(monday);
          Optional<PayoutBatch> recorded = recorded(c, week.label());
          if (recorded.isPresent()) {
            PayoutBatch b = recorded.get();
            out.add(
                new HostWeek(
                    week.label(),
                    week.monday(),
                    week.nextMonday(),
                    true,
                    b.createdAt(),
                    b.lines().stream().filter(l -> l.hostId().equals(hostId)).toList()));
          } else {
            List<Item> items = itemsOf(c, week, at, hostId, claimed);
            items.forEach(i -> claimed.add(i.itemId()));
            out.add(
                new HostWeek(
                    week.label(),
                    week.monday(),
                    week.nextMonday(),
                    false,
                    null,
                    PayoutRules.linesOf(items)));
          }
        }
        return out;
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the payouts of host " + hostId + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- reading a batch

  private static Optional<PayoutBatch> recorded(Connection c, String week) throws SQLException {
    LocalDate start;
    LocalDate end;
    Instant createdAt;
    String createdBy;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT week_start, week_end, created_at, created_by FROM payout_batches WHERE week = ?")) {
      ps.setString(1, week);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        start = Sql.date(rs, "week_start");
        end = Sql.date(rs, "week_end");
        createdAt = Sql.instant(rs, "created_at");
        createdBy = rs.getString("created_by");
      }
    }
    List<PayoutLine> lines = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT host_id, currency, bookings, gross_cents, fees_cents,"
                + " refunds_cents, payout_cents, host_name, host_email FROM payout_lines WHERE week = ?")) {
      ps.setString(1, week);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next())
          lines.add(
              new PayoutLine(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  rs.getString(8),
                  rs.getString(9)));
      }
    }
    return Optional.of(
        new PayoutBatch(week, start, end, createdAt, createdBy, false, PayoutRules.sorted(lines)));
  }

  // ---------------------------------------------------------------- making a batch

  private static PayoutBatch make(Connection c, IsoWeek week, String createdBy, Instant now)
      throws SQLException {
    // The week's row first: a concurrent call for the same week stops on its key before doing any
    // work.
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO payout_batches (week, week_start, week_end, created_at, created_by) VALUES (?, ?, ?, ?, ?)")) {
      Sql.bind(ps, week.label(), week.monday(), week.nextMonday(), now, createdBy);
      ps.executeUpdate();
    }
    List<Item> items = itemsOf(c, week, now, null, Set.of());
    insertItems(c, week.label(), items);
    List<PayoutLine> lines = new ArrayList<>();
    for (PayoutLine line : PayoutRules.linesOf(items))
      lines.add(line.withContact(contactOf(c, line.hostId())));
    insertLines(c, week.label(), lines);
    return new PayoutBatch(
        week.label(), week.monday(), week.nextMonday(), now, createdBy, true, lines);
  }

  /**
   * What a batch of {@code week} made at {@code now} pays: the bookings and refunds it takes, by
   * the rules above. With a {@code hostId}, only that host's items (the same rules, the other
   * hosts' items left out); items whose id is in {@code claimed} are left out too (a preview of
   * earlier weeks took them).
   */
  private static List<Item> itemsOf(
      Connection c, IsoWeek week, Instant now, String hostId, Set<String> claimed)
      throws SQLException {
    List<Candidate> candidates =
        candidates(c, week.end(), hostId).stream()
            .filter(b -> !claimed.contains(b.bookingId()))
            .toList();
    Map<String, List<RefundRow>> refunds =
        refundsOf(c, candidates.stream().map(Candidate::bookingId).toList());
    List<Item> items = new ArrayList<>(PayoutRules.items(candidates, refunds, claimed, now));
    for (Item i : adjustments(c, now, claimed))
      if (hostId == null || hostId.equals(i.hostId())) items.add(i);
    return items;
  }

  /** Paid and confirmed bookings that ended before {@code end} and were never paid out. */
  private static List<Candidate> candidates(Connection c, Instant end, String hostId)
      throws SQLException {
    List<Candidate> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT b.booking_id, b.host_id, b.currency, b.status,"
                + " b.platform_fee_cents, b.host_payout_cents, b.refund_cents, p.paid_cents"
                + " FROM bookings b JOIN payments p ON p.booking_id = b.booking_id"
                + " WHERE b.end_at < ? AND b.status IN ('CONFIRMED', 'COMPLETED', 'CANCELLED')"
                + " AND p.paid_cents > 0 AND p.outcome = 'CONFIRMED'"
                + " AND NOT EXISTS (SELECT 1 FROM payout_items i WHERE i.item_id = b.booking_id)"
                + (hostId == null ? "" : " AND b.host_id = ?")
                + " ORDER BY b.booking_id")) {
      if (hostId == null) Sql.bind(ps, end);
      else Sql.bind(ps, end, hostId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next())
          out.add(
              new Candidate(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  rs.getLong(8)));
      }
    }
    return out;
  }

  /** The refunds of these bookings not taken off a payout yet, by booking. */
  private static Map<String, List<RefundRow>> refundsOf(Connection c, List<String> bookingIds)
      throws SQLException {
    Map<String, List<RefundRow>> out = new HashMap<>();
    for (int from = 0; from < bookingIds.size(); from += IDS_PER_QUERY) {
      List<String> chunk =
          bookingIds.subList(from, Math.min(bookingIds.size(), from + IDS_PER_QUERY));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT r.refund_key, r.booking_id, r.kind, r.status,"
                  + " r.amount_cents, r.host_share_cents, r.succeeded_at FROM refunds r"
                  + " WHERE r.booking_id IN ("
                  + placeholders(chunk.size())
                  + ")"
                  + " AND NOT EXISTS (SELECT 1 FROM payout_items i WHERE i.item_id = 'refund:' || r.refund_key)"
                  + " ORDER BY r.refund_key")) {
        Sql.bind(ps, chunk.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            RefundRow r =
                new RefundRow(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getLong(5),
                    rs.getLong(6),
                    Sql.instant(rs, 7));
            out.computeIfAbsent(r.bookingId(), k -> new ArrayList<>()).add(r);
          }
        }
      }
    }
    return out;
  }

  /**
   * Refunds that succeeded after their booking was paid out, not taken off yet. Only while the
   * booking's row is in the read table: its refunds' shares are complete from then on (see {@code
   * RefundShares}), so a refund met during a rebuild of the read tables waits for it.
   */
  private static List<Item> adjustments(Connection c, Instant now, Set<String> claimed)
      throws SQLException {
    List<Item> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT r.refund_key, r.booking_id, r.host_share_cents, i.host_id,"
                + " i.currency FROM refunds r JOIN payout_items i ON i.item_id = r.booking_id AND i.kind = 'BOOKING'"
                + " JOIN bookings b ON b.booking_id = r.booking_id"
                + " WHERE r.status = 'SUCCEEDED' AND (r.succeeded_at IS NULL OR r.succeeded_at <= ?)"
                + " AND NOT EXISTS (SELECT 1 FROM payout_items j WHERE j.item_id = 'refund:' || r.refund_key)"
                + " ORDER BY r.refund_key")) {
      Sql.bind(ps, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (claimed.contains("refund:" + rs.getString(1))) continue;
          out.add(
              Item.refund(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getLong(3)));
        }
      }
    }
    // A refund taken off a payout that then failed at the gateway: the host gets its share back.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT r.refund_key, r.booking_id, i.refunds_cents, i.host_id,"
                + " i.currency FROM refunds r JOIN payout_items i ON i.item_id = 'refund:' || r.refund_key"
                + " WHERE r.status = 'FAILED' AND (r.failed_at IS NULL OR r.failed_at <= ?)"
                + " AND NOT EXISTS (SELECT 1 FROM payout_items j WHERE j.item_id = 'refund-failed:' || r.refund_key)"
                + " ORDER BY r.refund_key")) {
      Sql.bind(ps, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (claimed.contains("refund-failed:" + rs.getString(1))) continue;
          out.add(
              new Item(
                  "refund-failed:" + rs.getString(1),
                  PayoutRules.REFUND,
                  rs.getString(4),
                  rs.getString(2),
                  rs.getString(1),
                  rs.getString(5),
                  0,
                  0,
                  -rs.getLong(3)));
        }
      }
    }
    return out;
  }

  private static void insertItems(Connection c, String week, List<Item> items) throws SQLException {
    if (items.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO payout_items (item_id, week, kind, host_id, booking_id,"
                + " refund_key, currency, gross_cents, fees_cents, refunds_cents, amount_cents)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Item i : items) {
        Sql.bind(
            ps,
            i.itemId(),
            week,
            i.kind(),
            i.hostId(),
            i.bookingId(),
            i.refundKey(),
            i.currency(),
            i.grossCents(),
            i.feesCents(),
            i.refundsCents(),
            i.amountCents());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * The host's name and email: the legal name (whom the money is for) and contact e-mail of its
   * profile ({@code host_profiles}); without a profile, the token claims its most recently created
   * kitchen recorded; nulls when neither exists. Kept on the payout line, so the batch never
   * changes.
   */
  private static String[] contactOf(Connection c, String hostId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT legal_name, contact_email FROM host_profiles WHERE host_id = ?")) {
      ps.setString(1, hostId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) return new String[] {rs.getString(1), rs.getString(2)};
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT host_name, host_email FROM kitchens WHERE host_id = ?"
                + " AND (host_name IS NOT NULL OR host_email IS NOT NULL) ORDER BY created_at DESC, kitchen_id DESC")) {
      ps.setString(1, hostId);
      ps.setMaxRows(1);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new String[] {rs.getString(1), rs.getString(2)}
            : new String[] {null, null};
      }
    }
  }

  private static void insertLines(Connection c, String week, List<PayoutLine> lines)
      throws SQLException {
    if (lines.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO payout_lines (week, host_id, currency, bookings,"
                + " gross_cents, fees_cents, refunds_cents, payout_cents, host_name, host_email)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (PayoutLine l : lines) {
        Sql.bind(
            ps,
            week,
            l.hostId(),
            l.currency(),
            l.bookings(),
            l.grossCents(),
            l.feesCents(),
            l.refundsCents(),
            l.payoutCents(),
            l.hostName(),
            l.hostEmail());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /**
   * A concurrent transaction got there first: a unique key taken (23505), a serialization failure
   * or deadlock (40xxx), or H2's lock timeout (HYT00) and concurrent update (90131).
   */
  private static boolean isCollision(SQLException e) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.equals("23505")
            || state.startsWith("40")
            || state.equals("HYT00")
            || state.equals("90131")) return true;
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof BatchUpdateException b
        && b.getNextException() != null
        && b.getNextException() != t) return b.getNextException();
    return t.getCause() == t ? null : t.getCause();
  }
}
