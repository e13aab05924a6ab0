package com.hearth.engine.quota;

import com.hearth.engine.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fair use of holds by one renter, as plain decisions: how many holds the renter may have open at
 * once (overall and in one kitchen) and how many minutes of one kitchen they may hold. A hold
 * counts from its reservation until its hold time runs out or it is released (refused, cancelled,
 * replayed). No actor, no clock: the caller passes {@code now}.
 */
public final class HoldQuota {

  /** The caps; a cap of 0 is no cap. */
  public record Limits(int openHolds, int openHoldsPerKitchen, long heldMinutesPerKitchen)
      implements CborSerializable {
    public static final Limits NONE = new Limits(0, 0, 0);

    public Limits {
      if (openHolds < 0 || openHoldsPerKitchen < 0 || heldMinutesPerKitchen < 0)
        throw new IllegalArgumentException("quota limits are 0 (none) or positive");
    }
  }

  /** A hold counted against the renter until {@code until}. */
  public record OpenHold(String bookingId, String kitchenId, long minutes, Instant until)
      implements CborSerializable {}

  /**
   * Why a reservation was refused, and when the earliest counted hold lapses (a retry may pass
   * then).
   */
  public record Refusal(String detail, Duration retryAfter) implements CborSerializable {}

  private final Limits limits;
  private final Map<String, OpenHold> open = new HashMap<>();

  public HoldQuota(Limits limits, Collection<OpenHold> loaded) {
    this.limits = limits;
    for (OpenHold h : loaded) open.put(h.bookingId(), h);
  }

  /**
   * Counts {@code hold} if it fits under every cap at {@code now}; else says which cap it breaks.
   */
  public Optional<Refusal> reserve(OpenHold hold, Instant now) {
    prune(now);
    if (open.containsKey(hold.bookingId())) return Optional.empty();
    long inKitchen = 0;
    long minutesInKitchen = 0;
    for (OpenHold h : open.values()) {
      if (h.kitchenId().equals(hold.kitchenId())) {
        inKitchen++;
        minutesInKitchen += h.minutes();
      }
    }
    String broken = null;
    if (limits.openHolds() > 0 && open.size() >= limits.openHolds())
      broken = "at most " + limits.openHolds() + " open holds at once";
    else if (limits.openHoldsPerKitchen() > 0 && inKitchen >= limits.openHoldsPerKitchen())
      broken = "at most " + limits.openHoldsPerKitchen() + " open holds in one kitchen at once";
    else if (limits.heldMinutesPerKitchen() > 0
        && minutesInKitchen + hold.minutes() > limits.heldMinutesPerKitchen())
      broken = "at most " + limits.heldMinutesPerKitchen() + " minutes held in one kitchen at once";
    if (broken != null) return Optional.of(new Refusal(broken, untilEarliestLapse(now)));
    open.put(hold.bookingId(), hold);
    return Optional.empty();
  }

  public void release(String bookingId) {
    open.remove(bookingId);
  }

  public int openCount(Instant now) {
    prune(now);
    return open.size();
  }

  public boolean isEmpty(Instant now) {
    return openCount(now) == 0;
  }

  private void prune(Instant now) {
    open.values().removeIf(h -> !now.isBefore(h.until()));
  }

  /** Until the earliest counted hold lapses (at least a second): the soonest a retry may pass. */
  private Duration untilEarliestLapse(Instant now) {
    Instant earliest = null;
    for (OpenHold h : open.values())
      if (earliest == null || h.until().isBefore(earliest)) earliest = h.until();
    if (earliest == null) return Duration.ofSeconds(1);
    Duration wait = Duration.between(now, earliest);
    return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
  }
}
