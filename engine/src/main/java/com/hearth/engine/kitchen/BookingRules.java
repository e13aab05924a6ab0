package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;
import com.hearth.engine.FieldError;
import java.time.Duration;
import java.util.List;

/** How a kitchen may be booked. All lengths in minutes except the horizon, in days. */
public record BookingRules(
    int slotMinutes,
    int minDurationMinutes,
    int maxDurationMinutes,
    int minNoticeMinutes,
    int horizonDays,
    int bufferMinutes)
    implements CborSerializable {

  public static final BookingRules DEFAULTS = new BookingRules(30, 60, 12 * 60, 60, 180, 0);

  static final int MAX_DURATION_MINUTES = 14 * 24 * 60;
  static final int MAX_HORIZON_DAYS = 730;

  public Duration buffer() {
    return Duration.ofMinutes(bufferMinutes);
  }

  void validate(List<FieldError> errors) {
    if (slotMinutes < 5 || slotMinutes > 1440 || 1440 % slotMinutes != 0)
      errors.add(
          new FieldError(
              "rules.slot_minutes", "must divide a day evenly and be between 5 and 1440"));
    if (minDurationMinutes < 1 || minDurationMinutes > MAX_DURATION_MINUTES)
      errors.add(
          new FieldError(
              "rules.min_duration_minutes", "must be between 1 and " + MAX_DURATION_MINUTES));
    if (maxDurationMinutes < minDurationMinutes || maxDurationMinutes > MAX_DURATION_MINUTES)
      errors.add(
          new FieldError(
              "rules.max_duration_minutes",
              "must be at least min_duration_minutes and at most " + MAX_DURATION_MINUTES));
    if (minNoticeMinutes < 0 || minNoticeMinutes > 30 * 24 * 60)
      errors.add(new FieldError("rules.min_notice_minutes", "must be between 0 and 43200"));
    if (horizonDays < 1 || horizonDays > MAX_HORIZON_DAYS)
      errors.add(new FieldError("rules.horizon_days", "must be between 1 and " + MAX_HORIZON_DAYS));
    if (bufferMinutes < 0 || bufferMinutes > 1440)
      errors.add(new FieldError("rules.buffer_minutes", "must be between 0 and 1440"));
  }
}
