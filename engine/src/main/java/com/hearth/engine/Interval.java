package com.hearth.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A half-open span of time {@code [start, end)} in UTC instants. */
public record Interval(Instant start, Instant end) implements CborSerializable {

  public Interval {
    if (start == null || end == null)
      throw new IllegalArgumentException("interval needs a start and an end");
    if (!start.isBefore(end))
      throw new IllegalArgumentException("interval start must be before its end");
  }

  public boolean overlaps(Interval other) {
    return start.isBefore(other.end) && other.start.isBefore(end);
  }

  public boolean contains(Interval other) {
    return !other.start.isBefore(start) && !other.end.isAfter(end);
  }

  public long minutes() {
    return Duration.between(start, end).toMinutes();
  }

  /** This interval widened by {@code padding} on both sides, for cleaning buffers. */
  public Interval widen(Duration padding) {
    return padding.isZero() ? this : new Interval(start.minus(padding), end.plus(padding));
  }

  /** The part of this interval inside {@code bounds}, or null when they do not meet. */
  public Interval clip(Interval bounds) {
    Instant s = start.isAfter(bounds.start) ? start : bounds.start;
    Instant e = end.isBefore(bounds.end) ? end : bounds.end;
    return s.isBefore(e) ? new Interval(s, e) : null;
  }

  /** Sorts and joins intervals that overlap or touch. */
  public static List<Interval> union(List<Interval> intervals) {
    List<Interval> sorted = new ArrayList<>(intervals);
    sorted.sort(Comparator.comparing(Interval::start));
    List<Interval> merged = new ArrayList<>();
    for (Interval next : sorted) {
      if (!merged.isEmpty() && !next.start.isAfter(merged.get(merged.size() - 1).end)) {
        Interval last = merged.remove(merged.size() - 1);
        merged.add(new Interval(last.start, last.end.isAfter(next.end) ? last.end : next.end));
      } else {
        merged.add(next);
      }
    }
    return merged;
  }

  /** {@code from} minus every interval in {@code taken}; the result is sorted and disjoint. */
  public static List<Interval> subtract(List<Interval> from, List<Interval> taken) {
    List<Interval> holes = union(taken);
    List<Interval> result = new ArrayList<>();
    for (Interval piece : union(from)) {
      Instant cursor = piece.start;
      for (Interval hole : holes) {
        if (!hole.end.isAfter(cursor) || !hole.start.isBefore(piece.end)) continue;
        if (hole.start.isAfter(cursor)) result.add(new Interval(cursor, hole.start));
        cursor = hole.end.isAfter(cursor) ? hole.end : cursor;
        if (!cursor.isBefore(piece.end)) break;
      }
      if (cursor.isBefore(piece.end)) result.add(new Interval(cursor, piece.end));
    }
    return result;
  }
}
