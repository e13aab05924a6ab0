package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;
import com.hearth.engine.Interval;
import java.util.List;

/** A partial update of a kitchen's settings; null fields keep their current value. */
public record KitchenPatch(
    String name,
    String address,
    String city,
    String timeZone,
    String currency,
    Long hourlyRateCents,
    Integer taxBps,
    RulesPatch rules,
    OpeningHours openingHours,
    List<Interval> blackouts)
    implements CborSerializable {

  /** A partial update of the booking rules; null fields keep their current value. */
  public record RulesPatch(
      Integer slotMinutes,
      Integer minDurationMinutes,
      Integer maxDurationMinutes,
      Integer minNoticeMinutes,
      Integer horizonDays,
      Integer bufferMinutes)
      implements CborSerializable {

    BookingRules applyTo(BookingRules r) {
      return new BookingRules(
          or(slotMinutes, r.slotMinutes()),
          or(minDurationMinutes, r.minDurationMinutes()),
          or(maxDurationMinutes, r.maxDurationMinutes()),
          or(minNoticeMinutes, r.minNoticeMinutes()),
          or(horizonDays, r.horizonDays()),
          or(bufferMinutes, r.bufferMinutes()));
    }
  }

  public KitchenSettings applyTo(KitchenSettings s) {
    return new KitchenSettings(
        or(name, s.name()),
        or(address, s.address()),
        or(city, s.city()),
        or(timeZone, s.timeZone()),
        or(currency, s.currency()),
        or(hourlyRateCents, s.hourlyRateCents()),
        or(taxBps, s.taxBps()),
        rules == null ? s.rules() : rules.applyTo(s.rules()),
        or(openingHours, s.openingHours()),
        or(blackouts, s.blackouts()));
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
