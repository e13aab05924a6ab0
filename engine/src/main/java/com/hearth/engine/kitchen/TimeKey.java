package com.hearth.engine.kitchen;

import java.time.Instant;

/** A place in an order by time, ties broken by an id, so several entries may share an instant. */
record TimeKey(Instant at, String id) implements Comparable<TimeKey> {

  /** Sorts before every key at {@code at}: ids are never empty. */
  static TimeKey before(Instant at) {
    return new TimeKey(at, "");
  }

  @Override
  public int compareTo(TimeKey other) {
    int byTime = at.compareTo(other.at);
    return byTime != 0 ? byTime : id.compareTo(other.id);
  }
}
