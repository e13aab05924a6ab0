package com.hearth.http;

import com.hearth.engine.FieldError;
import com.hearth.engine.Interval;
import com.hearth.engine.kitchen.Booking;
import com.hearth.engine.kitchen.BookingRules;
import com.hearth.engine.kitchen.KitchenEntity.KitchenView;
import com.hearth.engine.kitchen.KitchenPatch;
import com.hearth.engine.kitchen.KitchenSettings;
import com.hearth.engine.kitchen.OpeningHours;
import com.hearth.engine.kitchen.OpeningHours.DailyWindow;
import com.hearth.engine.kitchen.PriceBreakdown;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API's own request and response shapes (snake_case on the wire) and their translation to and
 * from the domain. Nothing domain-internal is serialized directly.
 */
final class Dtos {

  private Dtos() {}

  // ------------------------------------------------------------------ requests

  record KitchenRequest(
      String name,
      String address,
      String city,
      String timeZone,
      String currency,
      Long hourlyRateCents,
      Integer taxBps,
      RulesDto rules,
      Map<String, List<WindowDto>> openingHours,
      List<IntervalDto> blackouts) {}

  record RulesDto(
      Integer slotMinutes,
      Integer minDurationMinutes,
      Integer maxDurationMinutes,
      Integer minNoticeMinutes,
      Integer horizonDays,
      Integer bufferMinutes) {}

  record WindowDto(String open, String close) {}

  record IntervalDto(String start, String end) {}

  record HoldRequest(String start, String end) {}

  record CancelRequest(String reason) {}

  // ------------------------------------------------------------------ responses

  record KitchenResponse(
      String kitchenId,
      String hostId,
      String status,
      String name,
      String address,
      String city,
      String timeZone,
      String currency,
      long hourlyRateCents,
      int taxBps,
      RulesDto rules,
      Map<String, List<WindowDto>> openingHours,
      List<IntervalDto> blackouts,
      Instant createdAt,
      Instant updatedAt) {

    static KitchenResponse of(KitchenView k) {
      KitchenSettings s = k.settings();
      BookingRules r = s.rules();
      return new KitchenResponse(
          k.kitchenId(),
          k.hostId(),
          k.status().name(),
          s.name(),
          s.address(),
          s.city(),
          s.timeZone(),
          s.currency(),
          s.hourlyRateCents(),
          s.taxBps(),
          new RulesDto(
              r.slotMinutes(),
              r.minDurationMinutes(),
              r.maxDurationMinutes(),
              r.minNoticeMinutes(),
              r.horizonDays(),
              r.bufferMinutes()),
          openingHoursDto(s.openingHours()),
          s.blackouts().stream().map(Dtos::intervalDto).toList(),
          k.createdAt(),
          k.updatedAt());
    }
  }

  record PriceDto(
      long subtotalCents,
      long platformFeeCents,
      long taxCents,
      long totalCents,
      long hostPayoutCents,
      String currency) {
    static PriceDto of(PriceBreakdown p) {
      return new PriceDto(
          p.subtotalCents(),
          p.platformFeeCents(),
          p.taxCents(),
          p.totalCents(),
          p.hostPayoutCents(),
          p.currency());
    }
  }

  record BookingResponse(
      String bookingId,
      String kitchenId,
      String renterId,
      String hostId,
      String status,
      Instant start,
      Instant end,
      Instant holdExpiresAt,
      PriceDto price,
      long refundCents,
      String cancelledBy,
      String cancelReason,
      Instant heldAt,
      Instant confirmedAt,
      Instant cancelledAt,
      Instant expiredAt,
      Instant completedAt) {

    static BookingResponse of(Booking b) {
      return new BookingResponse(
          b.bookingId(),
          b.kitchenId(),
          b.renterId(),
          b.hostId(),
          b.status().name(),
          b.slot().start(),
          b.slot().end(),
          b.holdExpiresAt(),
          PriceDto.of(b.price()),
          b.refundCents(),
          b.cancelledBy() == null ? null : b.cancelledBy().name().toLowerCase(Locale.ROOT),
          b.cancelReason(),
          b.heldAt(),
          b.confirmedAt(),
          b.cancelledAt(),
          b.expiredAt(),
          b.completedAt());
    }
  }

  record FreeInterval(Instant start, Instant end) {}

  record AvailabilityResponse(
      String kitchenId, Instant from, Instant to, List<FreeInterval> free) {}

  // ------------------------------------------------------------------ translation

  /** Thrown while translating a request whose field cannot be understood. */
  static final class InvalidField extends Exception {
    final FieldError error;

    InvalidField(String field, String message) {
      super(field + ": " + message);
      this.error = new FieldError(field, message);
    }
  }

  private static final String[] DAY_KEYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

  static KitchenSettings settingsOf(KitchenRequest r) throws InvalidField {
    if (r.name() == null) throw new InvalidField("name", "is required");
    if (r.timeZone() == null) throw new InvalidField("time_zone", "is required");
    if (r.hourlyRateCents() == null) throw new InvalidField("hourly_rate_cents", "is required");
    BookingRules rules =
        r.rules() == null ? BookingRules.DEFAULTS : rulesOf(r.rules(), BookingRules.DEFAULTS);
    return new KitchenSettings(
        r.name(),
        r.address(),
        r.city(),
        r.timeZone(),
        r.currency(),
        r.hourlyRateCents(),
        r.taxBps() == null ? 0 : r.taxBps(),
        rules,
        openingHoursOf(r.openingHours()),
        intervalsOf(r.blackouts(), "blackouts"));
  }

  static KitchenPatch patchOf(KitchenRequest r) throws InvalidField {
    return new KitchenPatch(
        r.name(),
        r.address(),
        r.city(),
        r.timeZone(),
        r.currency(),
        r.hourlyRateCents(),
        r.taxBps(),
        r.rules() == null
            ? null
            : new KitchenPatch.RulesPatch(
                r.rules().slotMinutes(),
                r.rules().minDurationMinutes(),
                r.rules().maxDurationMinutes(),
                r.rules().minNoticeMinutes(),
                r.rules().horizonDays(),
                r.rules().bufferMinutes()),
        r.openingHours() == null ? null : openingHoursOf(r.openingHours()),
        r.blackouts() == null ? null : intervalsOf(r.blackouts(), "blackouts"));
  }

  private static BookingRules rulesOf(RulesDto r, BookingRules d) {
    return new BookingRules(
        r.slotMinutes() != null ? r.slotMinutes() : d.slotMinutes(),
        r.minDurationMinutes() != null ? r.minDurationMinutes() : d.minDurationMinutes(),
        r.maxDurationMinutes() != null ? r.maxDurationMinutes() : d.maxDurationMinutes(),
        r.minNoticeMinutes() != null ? r.minNoticeMinutes() : d.minNoticeMinutes(),
        r.horizonDays() != null ? r.horizonDays() : d.horizonDays(),
        r.bufferMinutes() != null ? r.bufferMinutes() : d.bufferMinutes());
  }

  static OpeningHours openingHoursOf(Map<String, List<WindowDto>> hours) throws InvalidField {
    if (hours == null) return OpeningHours.AROUND_THE_CLOCK;
    Map<DayOfWeek, List<DailyWindow>> weekly = new EnumMap<>(DayOfWeek.class);
    for (Map.Entry<String, List<WindowDto>> day : hours.entrySet()) {
      int index = List.of(DAY_KEYS).indexOf(day.getKey());
      String field = "opening_hours." + day.getKey();
      if (index < 0) throw new InvalidField(field, "days are mon, tue, wed, thu, fri, sat, sun");
      if (day.getValue() == null) throw new InvalidField(field, "must be a list of windows");
      List<DailyWindow> windows = new ArrayList<>();
      for (int i = 0; i < day.getValue().size(); i++) {
        WindowDto w = day.getValue().get(i);
        String at = field + "[" + i + "]";
        if (w == null) throw new InvalidField(at, "must be an object with open and close");
        windows.add(
            new DailyWindow(
                minuteOfDay(w.open(), at + ".open"), minuteOfDay(w.close(), at + ".close")));
      }
      weekly.put(DayOfWeek.of(index + 1), windows);
    }
    return OpeningHours.weekly(weekly);
  }

  private static Map<String, List<WindowDto>> openingHoursDto(OpeningHours hours) {
    if (hours.aroundTheClock()) return null;
    Map<String, List<WindowDto>> out = new LinkedHashMap<>();
    for (DayOfWeek day : DayOfWeek.values()) {
      List<DailyWindow> windows = hours.weekly().get(day);
      if (windows == null) continue;
      out.put(
          DAY_KEYS[day.getValue() - 1],
          windows.stream()
              .map(w -> new WindowDto(clock(w.openMinute()), clock(w.closeMinute())))
              .toList());
    }
    return out;
  }

  private static int minuteOfDay(String hhmm, String field) throws InvalidField {
    if (hhmm == null || !hhmm.matches("\\d{2}:\\d{2}"))
      throw new InvalidField(field, "must be a time such as 08:30");
    int hours = Integer.parseInt(hhmm.substring(0, 2));
    int minutes = Integer.parseInt(hhmm.substring(3));
    if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
      throw new InvalidField(field, "must be between 00:00 and 24:00");
    return hours * 60 + minutes;
  }

  private static String clock(int minuteOfDay) {
    return String.format(Locale.ROOT, "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60);
  }

  static List<Interval> intervalsOf(List<IntervalDto> intervals, String field) throws InvalidField {
    if (intervals == null) return List.of();
    List<Interval> out = new ArrayList<>();
    for (int i = 0; i < intervals.size(); i++) {
      IntervalDto dto = intervals.get(i);
      String at = field + "[" + i + "]";
      if (dto == null) throw new InvalidField(at, "must be an object with start and end");
      out.add(interval(dto.start(), dto.end(), at + "."));
    }
    return out;
  }

  static Interval interval(String start, String end, String prefix) throws InvalidField {
    Instant s = instant(start, prefix + "start");
    Instant e = instant(end, prefix + "end");
    if (!s.isBefore(e)) throw new InvalidField(prefix + "end", "must be after start");
    return new Interval(s, e);
  }

  private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

  static Instant instant(String value, String field) throws InvalidField {
    if (value == null) throw new InvalidField(field, "is required");
    Instant parsed = parseInstant(value);
    if (parsed == null)
      throw new InvalidField(
          field, "must be an ISO-8601 date-time with an offset, such as 2026-12-01T09:00:00Z");
    if (parsed.getEpochSecond() < 0 || parsed.isAfter(LATEST))
      throw new InvalidField(field, "is out of range");
    return parsed;
  }

  /**
   * An ISO-8601 date-time with an offset, or null. The form clients send most, {@code
   * 2026-12-01T09:00:00Z}, is read by hand: the formatter was the largest cost of reading a hold.
   * Everything else, and any value the hand reading finds invalid, goes to {@link OffsetDateTime}.
   */
  private static Instant parseInstant(String value) {
    if (value.length() == 20
        && value.charAt(4) == '-'
        && value.charAt(7) == '-'
        && value.charAt(10) == 'T'
        && value.charAt(13) == ':'
        && value.charAt(16) == ':'
        && value.charAt(19) == 'Z') {
      int year = digits(value, 0, 4);
      int month = digits(value, 5, 2);
      int day = digits(value, 8, 2);
      int hour = digits(value, 11, 2);
      int minute = digits(value, 14, 2);
      int second = digits(value, 17, 2);
      if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0) {
        try {
          return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException invalid) {
          // February 30th and the like: the full parser gives the same refusal.
        }
      }
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The ASCII digits at {@code from} as a number, or -1 if any is not one. */
  private static int digits(String value, int from, int count) {
    int n = 0;
    for (int i = from; i < from + count; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  }

  static IntervalDto intervalDto(Interval i) {
    return new IntervalDto(i.start().toString(), i.end().toString());
  }
}
