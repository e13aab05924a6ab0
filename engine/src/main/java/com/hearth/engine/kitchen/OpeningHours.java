package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;
import com.hearth.engine.FieldError;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Weekly opening hours in the kitchen's own time zone. A day missing from {@code weekly} is closed;
 * {@link #AROUND_THE_CLOCK} is open every minute of every day.
 */
public record OpeningHours(boolean aroundTheClock, Map<DayOfWeek, List<DailyWindow>> weekly)
    implements CborSerializable {

  public static final OpeningHours AROUND_THE_CLOCK = new OpeningHours(true, Map.of());

  public OpeningHours {
    Map<DayOfWeek, List<DailyWindow>> copy = new EnumMap<>(DayOfWeek.class);
    if (weekly != null) weekly.forEach((day, windows) -> copy.put(day, List.copyOf(windows)));
    weekly = Map.copyOf(copy);
  }

  public static OpeningHours weekly(Map<DayOfWeek, List<DailyWindow>> weekly) {
    return new OpeningHours(false, weekly);
  }

  public List<DailyWindow> on(DayOfWeek day) {
    return aroundTheClock ? List.of(DailyWindow.ALL_DAY) : weekly.getOrDefault(day, List.of());
  }

  /**
   * An opening window of one local day, as minutes since local midnight; {@code closeMinute} may be
   * 1440 ("24:00"). Windows do not cross midnight: a night shift is two windows that touch.
   */
  public record DailyWindow(int openMinute, int closeMinute) implements CborSerializable {
    public static final DailyWindow ALL_DAY = new DailyWindow(0, 1440);
  }

  void validate(List<FieldError> errors) {
    if (aroundTheClock) return;
    weekly.forEach(
        (day, windows) -> {
          String field = "opening_hours." + day.name().substring(0, 3).toLowerCase();
          List<DailyWindow> sorted = new ArrayList<>(windows);
          sorted.sort(Comparator.comparingInt(DailyWindow::openMinute));
          for (int i = 0; i < sorted.size(); i++) {
            DailyWindow w = sorted.get(i);
            if (w.openMinute < 0 || w.closeMinute > 1440 || w.openMinute >= w.closeMinute)
              errors.add(
                  new FieldError(
                      field, "each window must open before it closes, within 00:00 to 24:00"));
            else if (i > 0 && sorted.get(i - 1).closeMinute > w.openMinute)
              errors.add(new FieldError(field, "windows of one day must not overlap"));
          }
          if (windows.size() > 24) errors.add(new FieldError(field, "at most 24 windows a day"));
        });
  }
}
