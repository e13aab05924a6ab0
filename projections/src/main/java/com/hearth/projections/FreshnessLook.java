package com.hearth.projections;

import com.hearth.projections.ReadModelQueries.Freshness;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.pekko.projection.ProjectionId;

/**
 * How fresh the read tables are, as one node finds out: every projection's offset, the journal's
 * newest ordering, and what the journal holds past each offset in the projection's tag.
 *
 * <p>What it costs follows the events written since the last look, not the journal's size nor the
 * write rate times the look rate:
 *
 * <ul>
 *   <li>a floor per projection (see {@link Floor}) keeps a quiet tag from sending the look back to
 *       its old offset;
 *   <li>the events of the last {@link #SETTLED_AFTER} (whose writes may still be committing, so
 *       that no floor may pass them) are kept in memory with their tags ({@link #recent}): a look
 *       reads only the events written since the previous look, and those the previous look found
 *       missing (a write still committing, or one that failed), each with one probe of its tag.
 * </ul>
 *
 * Looks are serialized (one node has one look running at a time anyway, {@link SharedRound}).
 */
public final class FreshnessLook {

  /**
   * A journal write that took its ordering before the newest one read may commit after the read, so
   * a floor only rises to an ordering that was the newest at least this long ago: by then every
   * write below it has committed or failed (the read journal waits about as long for such gaps).
   */
  static final Duration SETTLED_AFTER = Duration.ofSeconds(2);

  /**
   * At most this many events are kept in memory; past it (a projection stalled far behind, or more
   * events since the last look), the oldest are left to the journal query, as the look did before
   * it kept any.
   */
  static final int MAX_RECENT = 100_000;

  private final DataSource dataSource;
  private final int maxRecent;

  FreshnessLook(DataSource dataSource) {
    this(dataSource, MAX_RECENT);
  }

  /** With room for {@code maxRecent} events in memory (tests make it small). */
  FreshnessLook(DataSource dataSource, int maxRecent) {
    this.dataSource = dataSource;
    this.maxRecent = maxRecent;
  }

  /**
   * What this node last learnt of each projection: the offset it had stored then, and the highest
   * journal ordering up to which the journal held no event of its tag still to project. Another
   * look then reads only the journal past the lowest of these floors, not every event since the
   * stalest offset (a tag with no event for a long while, or none yet, has an old offset or none).
   */
  private record Floor(long storedOffset, long floor) {}

  private final Map<ProjectionId, Floor> floors = new HashMap<>();

  /**
   * Newest journal orderings read, with when, oldest first; trimmed to the last one older than
   * {@link #SETTLED_AFTER}.
   */
  private final ArrayDeque<long[]> newestSeen = new ArrayDeque<>();

  /** A journal event as the look needs it: its tag (null when it has none) and write time. */
  private record Event(String tag, long writeTimestamp) {}

  /**
   * The journal's events with orderings in ({@link #base}, {@link #seen}], by ordering, but for
   * those in {@link #unseen}.
   */
  private final NavigableMap<Long, Event> recent = new TreeMap<>();

  /**
   * Orderings in ({@link #base}, {@link #seen}] that the journal did not show when last read: a
   * write still committing, or one that failed (a gap for good). Read again at every look until
   * they settle.
   */
  private final TreeSet<Long> unseen = new TreeSet<>();

  /** Up to here the journal is not kept in memory (the floors and the journal query cover it). */
  private long base = -1;

  /** The newest ordering read so far ({@code -1} before the first look). */
  private long seen = -1;

  synchronized Freshness look(Clock clock) {
    Instant now = clock.instant();
    List<ProjectionId> ids = ReadModels.projectionIds();
    try (Connection c = dataSource.getConnection()) {
      Map<ProjectionId, Long> offsets = offsets(c);
      long newest = newest(c);
      if (seen < 0 || newest < seen || newest - seen > maxRecent) {
        // The first look keeps nothing: the journal query reads to the newest ordering, and memory
        // takes over from there. So after the journal went back (a database restored or reset),
        // or after more events than memory keeps came since the last look (a node whose lists
        // were idle for long): the database counts those, as it did before anything was kept.
        recent.clear();
        unseen.clear();
        base = newest;
        seen = newest;
      }
      long settled = settledOrdering(newest, now);
      // Each projection's key is the tag it reads: what is pending is past its offset (and its
      // floor) in its tag.
      Map<ProjectionId, Long> from = new HashMap<>();
      for (ProjectionId id : ids) {
        long stored = offsets.getOrDefault(id, 0L);
        Floor known = floors.get(id);
        // An offset that went back (a rebuild) makes what was learnt of the journal past it
        // worthless.
        from.put(
            id,
            known == null || stored < known.storedOffset()
                ? stored
                : Math.max(stored, known.floor()));
      }
      long lowest = Collections.min(from.values());
      // tag -> {count, oldest write timestamp, first ordering}
      Map<String, long[]> pending = lowest < base ? pendingUpToBase(c, ids, from) : new HashMap<>();
      readNew(c, newest);
      Map<String, Long> fromOfTag = new HashMap<>();
      for (ProjectionId id : ids) fromOfTag.put(id.key(), from.get(id));
      for (Map.Entry<Long, Event> e : recent.tailMap(lowest, false).entrySet()) {
        Long after = fromOfTag.get(e.getValue().tag());
        if (after == null || e.getKey() <= after) continue;
        long[] p =
            pending.computeIfAbsent(e.getValue().tag(), k -> new long[] {0, Long.MAX_VALUE, 0});
        if (p[0] == 0 || e.getKey() < p[2]) p[2] = e.getKey();
        p[0]++;
        p[1] = Math.min(p[1], e.getValue().writeTimestamp());
      }
      long count = 0;
      long oldest = Long.MAX_VALUE;
      long lowestNext = Long.MAX_VALUE;
      for (ProjectionId id : ids) {
        long[] p = pending.get(id.key());
        if (p != null) {
          count += p[0];
          oldest = Math.min(oldest, p[1]);
        }
        // Up to the floor, the journal holds nothing of this tag past the offset, and nothing more
        // can come.
        long floor = Math.max(from.get(id), Math.min(settled, p == null ? newest : p[2] - 1));
        floors.put(id, new Floor(offsets.getOrDefault(id, 0L), floor));
        lowestNext = Math.min(lowestNext, floor);
      }
      forgetSettled(Math.min(settled, lowestNext));
      Instant asOf = count == 0 ? now : Instant.ofEpochMilli(oldest).minusMillis(1);
      if (asOf.isAfter(now)) asOf = now;
      return new Freshness(asOf, Math.max(0, Duration.between(asOf, now).toMillis()), count);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot tell how fresh the read models are: " + e.getMessage(), e);
    }
  }

  private static Map<ProjectionId, Long> offsets(Connection c) throws SQLException {
    Map<ProjectionId, Long> offsets = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT projection_name, projection_key, current_offset"
                + " FROM pekko_projection_offset_store WHERE projection_name IN (?, ?, ?)")) {
      ps.setString(1, ReadModels.PROJECTION_NAME);
      ps.setString(2, ReadModels.PAYMENT_PROJECTION_NAME);
      ps.setString(3, ReadModels.ONBOARDING_PROJECTION_NAME);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next())
          offsets.put(
              ProjectionId.of(rs.getString(1), rs.getString(2)), Long.parseLong(rs.getString(3)));
      }
    }
    return offsets;
  }

  private static long newest(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(ordering) FROM event_journal");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * An event's tag, read by a probe of event_tag by event id (its hash index) once per journal row:
   * no plan may walk event_tag. The concatenation keeps PostgreSQL from answering the MIN with the
   * index {@code event_tag (tag, event_id)} (V15), walking every tag's events in tag order until it
   * meets this event's: that took the kitchen list past its request timeout once the journal held
   * some hundred thousand events.
   */
  private static final String TAG_OF_EVENT =
      "(SELECT MIN(t.tag || '') FROM event_tag t WHERE t.event_id = j.ordering)";

  /** The journal's events in (?, ?], with their write times and tags, in any order. */
  public static String newEventsStatement() {
    return "SELECT j.ordering, j.write_timestamp, "
        + TAG_OF_EVENT
        + " FROM event_journal j WHERE j.ordering > ? AND j.ordering <= ?";
  }

  /**
   * Per tag, the count, oldest write time and lowest ordering of its events in (?, ?] (parameters:
   * tag, from, to; again for each of {@code tags} tags). Each reads its tag's events in the range
   * from the index {@code event_tag (tag, event_id)} (V15), and each event's write time from the
   * journal by its ordering: what it costs is what is pending, not the journal between the stalest
   * projection's offset and the newest event. (Before, one query walked the journal over that whole
   * range and probed every event's tag: a projection with no stored offset, such as a payment tag
   * before its first payment, made the first looks after a node started walk the journal from its
   * first event.)
   */
  public static String pendingStatement(int tags) {
    return String.join(
        " UNION ALL ",
        Collections.nCopies(
            tags,
            "SELECT t.tag, COUNT(*),"
                + " MIN((SELECT j.write_timestamp FROM event_journal j WHERE j.ordering = t.event_id)),"
                + " MIN(t.event_id) FROM event_tag t"
                + " WHERE t.tag = ? AND t.event_id > ? AND t.event_id <= ? GROUP BY t.tag"));
  }

  /**
   * What is pending up to {@link #base}, counted by the database, for the projections whose offsets
   * are below it: behind the events kept in memory (one that lags by more than {@link
   * #SETTLED_AFTER}, or any before the first looks have settled).
   */
  private Map<String, long[]> pendingUpToBase(
      Connection c, List<ProjectionId> ids, Map<ProjectionId, Long> from) throws SQLException {
    Map<String, Long> behind = new TreeMap<>();
    for (ProjectionId id : ids)
      if (from.get(id) < base) behind.merge(id.key(), from.get(id), Math::min);
    Map<String, long[]> pending = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(pendingStatement(behind.size()))) {
      int i = 0;
      for (Map.Entry<String, Long> tag : behind.entrySet()) {
        ps.setString(++i, tag.getKey());
        ps.setLong(++i, tag.getValue());
        ps.setLong(++i, base);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next())
          pending.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
      }
    }
    return pending;
  }

  /**
   * Reads the events past the last look, and again those it found missing, into {@link #recent}:
   * one range from just below the oldest missing ordering (or from the last look's newest) to
   * {@code newest}.
   */
  private void readNew(Connection c, long newest) throws SQLException {
    long after = unseen.isEmpty() ? seen : Math.min(seen, unseen.first() - 1);
    if (after >= newest) return;
    try (PreparedStatement ps = c.prepareStatement(newEventsStatement())) {
      ps.setLong(1, after);
      ps.setLong(2, newest);
      unseen.subSet(after, false, newest, true).clear();
      try (ResultSet rs = ps.executeQuery()) {
        // Rows come in any order: what is missing is found once all are in.
        while (rs.next()) recent.put(rs.getLong(1), new Event(rs.getString(3), rs.getLong(2)));
      }
      for (long o = after + 1; o <= newest; o++) if (!recent.containsKey(o)) unseen.add(o);
    }
    seen = newest;
  }

  /**
   * Drops what is at or below {@code upTo} from memory (it is settled, and every floor is at or
   * above it); past {@link #MAX_RECENT} events, the oldest go too, and the journal query covers
   * them.
   */
  private void forgetSettled(long upTo) {
    long newBase = Math.max(base, upTo);
    if (recent.tailMap(newBase, false).size() > maxRecent)
      newBase = recent.descendingKeySet().stream().skip(maxRecent).findFirst().orElseThrow();
    recent.headMap(newBase, true).clear();
    unseen.headSet(newBase, true).clear();
    base = newBase;
  }

  /**
   * Records the newest ordering read now and returns the newest one read at least {@link
   * #SETTLED_AFTER} ago (0 if none).
   */
  private long settledOrdering(long newest, Instant now) {
    long millis = now.toEpochMilli();
    if (newestSeen.isEmpty() || newestSeen.peekLast()[1] < newest)
      newestSeen.addLast(new long[] {millis, newest});
    long settled = 0;
    long limit = millis - SETTLED_AFTER.toMillis();
    while (!newestSeen.isEmpty() && newestSeen.peekFirst()[0] <= limit) {
      long[] first = newestSeen.pollFirst();
      settled = first[1];
      if (newestSeen.isEmpty() || newestSeen.peekFirst()[0] > limit) {
        newestSeen.addFirst(first); // keep the last settled one for the next look
        break;
      }
    }
    return settled;
  }
}
