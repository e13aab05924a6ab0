package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;
import com.hearth.engine.FieldError;
import com.hearth.engine.Interval;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/** Everything a host sets about a kitchen listing. */
public record KitchenSettings(
    String name,
    String address,
    String city,
    String timeZone,
    String currency,
    long hourlyRateCents,
    int taxBps,
    BookingRules rules,
    OpeningHours openingHours,
    List<Interval> blackouts)
    implements CborSerializable {

  public static final String DEFAULT_CURRENCY = "USD";
  static final int MAX_BLACKOUTS = 500;
  static final long MAX_HOURLY_RATE_CENTS = 100_000_000L;

  public KitchenSettings {
    blackouts = blackouts == null ? List.of() : List.copyOf(blackouts);
    rules = rules == null ? BookingRules.DEFAULTS : rules;
    openingHours = openingHours == null ? OpeningHours.AROUND_THE_CLOCK : openingHours;
    currency = currency == null ? DEFAULT_CURRENCY : currency;
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }

  /** Every broken field, named as clients spell it; empty when the settings are valid. */
  public List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || name.isBlank() || name.length() > 200)
      errors.add(new FieldError("name", "must be 1 to 200 characters"));
    if (address != null && address.length() > 500)
      errors.add(new FieldError("address", "must be at most 500 characters"));
    if (city != null && (city.isBlank() || city.length() > 100))
      errors.add(new FieldError("city", "must be 1 to 100 characters"));
    if (!isRegionZone(timeZone))
      errors.add(new FieldError("time_zone", "must be an IANA time zone such as Europe/Berlin"));
    if (!isCurrency(currency))
      errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD"));
    if (hourlyRateCents < 0 || hourlyRateCents > MAX_HOURLY_RATE_CENTS)
      errors.add(
          new FieldError("hourly_rate_cents", "must be between 0 and " + MAX_HOURLY_RATE_CENTS));
    if (taxBps < 0 || taxBps > 10_000)
      errors.add(new FieldError("tax_bps", "must be between 0 and 10000"));
    rules.validate(errors);
    openingHours.validate(errors);
    if (blackouts.size() > MAX_BLACKOUTS)
      errors.add(new FieldError("blackouts", "at most " + MAX_BLACKOUTS + " blackout periods"));
    return errors;
  }

  private static boolean isRegionZone(String id) {
    if (id == null) return false;
    try {
      return !(ZoneId.of(id) instanceof ZoneOffset) && id.contains("/") || "UTC".equals(id);
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static boolean isCurrency(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) return false;
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
