package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's host side and its cross-cutting checks in a real browser against a real node: a
 * host's own kitchens (drafts included) listed from {@code GET /v1/hosts/me/kitchens} with nothing
 * kept in the browser; several opening windows a day, rules and blackouts edited with the API's
 * messages next to their fields; the week calendar on the days Europe/London changes its clocks,
 * seen from a browser in another zone; a busy node's lists paging; and every role's pages at phone
 * width. Screenshots go to {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleHostBrowserTest {

  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final DateTimeFormatter JS_ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_TITLE =
      DateTimeFormatter.ofPattern("EEE d MMM", Locale.UK);
  private static final int BUSY_KITCHENS = 65;
  private static final int BUSY_BOOKINGS = 300;

  private TestDatabase db;
  private TestNode node;
  private ConsoleBrowser b;

  private String host;
  private String twoShiftKitchen;
  private String dstKitchen;
  private final List<String> busyKitchens = new ArrayList<>();
  private String busyRenter;
  private String busyBooking;
  private LocalDate busyFirstDay;

  @RegisterExtension
  final TestWatcher onFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          try {
            if (b != null) b.shot("FAILED-" + context.getRequiredTestMethod().getName());
          } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
          }
        }
      };

  @BeforeAll
  void start() throws IOException {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node = TestNode.start(db, Map.of());
    b = new ConsoleBrowser("http://127.0.0.1:" + node.port());
    host = node.token("cb-host-1", "host");
  }

  @AfterAll
  void stop() throws Exception {
    if (b != null) b.close();
    if (node != null) node.close();
    if (db != null) db.close();
  }

  // ---------------------------------------------------------------- a host's own kitchens

  @Test
  @Order(1)
  void aHostSeesItsOwnKitchensDraftsIncludedFromTheApiWithNothingStored() throws Exception {
    String draft =
        created(
            host,
            "{\"name\":\"Draft Bakery\",\"time_zone\":\"Europe/London\",\"hourly_rate_cents\":2500}");
    String published =
        node.publishedKitchen(
            host,
            "{\"name\":\"Open Kitchen\",\"time_zone\":\"Europe/London\",\"hourly_rate_cents\":2500}");
    String someoneElses =
        node.publishedKitchen(
            node.token("cb-host-2", "host"),
            "{\"name\":\"Someone Else's Kitchen\",\"time_zone\":\"Europe/London\",\"hourly_rate_cents\":2500}");
    awaitListed(host, 2);

    b.signInWithToken(host);
    b.open("#/host");
    WebElement draftCard =
        b.visible(By.cssSelector("#my-kitchens [data-kitchen-id='" + draft + "']"));
    assertThat(draftCard.getText()).contains("Draft Bakery", "DRAFT");
    assertThat(
            b.driver
                .findElement(By.cssSelector("#my-kitchens [data-kitchen-id='" + published + "']"))
                .getText())
        .contains("Open Kitchen", "PUBLISHED");
    assertThat(b.driver.findElements(By.cssSelector("#my-kitchens > li"))).hasSize(2);
    assertThat(b.driver.findElements(By.cssSelector("[data-kitchen-id='" + someoneElses + "']")))
        .isEmpty();
    assertThat(b.driver.findElement(By.id("h-mine")).getText())
        .isEqualTo("2 kitchens, drafts included");
    // The list comes from the API: nothing about the host's kitchens is kept in the browser.
    assertThat(b.js("return localStorage.length + sessionStorage.length;")).isEqualTo(0L);
    b.assertNothingStored();
    b.shot("host-kitchens");
    b.checkAccessibility("my kitchens");
  }

  // ---------------------------------------------------------------- opening windows

  @Test
  @Order(2)
  void aKitchenKeepsEveryOpeningWindowOfADayAndTheApisMessagesShowNextToTheirFields()
      throws Exception {
    b.signInWithToken(host);
    b.open("#/host/kitchens/new");
    b.heading("Add a kitchen");
    b.fill("name", "Two Shift Kitchen");
    b.fill("city", "London");
    b.fill("time_zone", "Europe/London");
    b.fill("hourly_rate_cents", "30.00");
    b.fill("rules.buffer_minutes", "15");
    b.fill("opening_hours.mon[0].open", "06:00");
    b.fill("opening_hours.mon[0].close", "11:00");
    // A second window on Monday, added from the keyboard: focus goes to its first field.
    addWindow("mon");
    assertThat(b.driver.switchTo().activeElement().getAttribute("name"))
        .isEqualTo("opening_hours.mon[1].open");
    assertThat(labelOf("opening_hours.mon[1].open")).isEqualTo("Window 2 opens");
    b.driver.switchTo().activeElement().sendKeys("10:00");
    b.fill("opening_hours.mon[1].close", "14:00");
    b.fill("opening_hours.tue[0].close", "25:00");
    // Sunday closed: its only window removed.
    b.driver
        .findElement(By.cssSelector(".day-hours[data-day='sun'] button.remove-window"))
        .sendKeys(Keys.ENTER);
    assertThat(b.visible(By.cssSelector(".day-hours[data-day='sun'] .closed-note")).getText())
        .isEqualTo("Closed on Sundays.");
    assertThat(b.driver.switchTo().activeElement().getText()).isEqualTo("Add a window");
    b.fill("blackouts", "2027-01-02T00:00 2027-01-01T00:00");

    // Each refusal of the API, one at a time, as a sentence next to its field.
    submit("Create kitchen");
    assertThat(errorFor("opening_hours.tue[0].close"))
        .isEqualTo("Tuesday window 1: the closing time must be between 00:00 and 24:00.");
    assertThat(
            b.driver
                .findElement(By.name("opening_hours.tue[0].close"))
                .getAttribute("aria-invalid"))
        .isEqualTo("true");
    b.checkAccessibility("kitchen form, a window's error");
    b.fill("opening_hours.tue[0].close", "20:00");
    submit("Create kitchen");
    assertThat(errorFor("blackouts"))
        .isEqualTo(
            "Closed periods on line 1 (2027-01-02T00:00 2027-01-01T00:00): the end must be after"
                + " start.");
    LocalDate christmas = LocalDate.ofInstant(node.clock().instant(), LONDON).plusYears(1);
    christmas = christmas.withMonth(12).withDayOfMonth(24);
    b.fill("blackouts", christmas + "T00:00 " + christmas.plusDays(3) + "T00:00");
    submit("Create kitchen");
    assertThat(errorFor("opening_hours.mon"))
        .isEqualTo("Monday: windows of one day must not overlap.");
    b.shot("host-kitchen-windows-validation");
    b.checkAccessibility("kitchen form, a day's error");
    b.fill("opening_hours.mon[1].open", "15:00");
    b.fill("opening_hours.mon[1].close", "23:00");
    submit("Create kitchen");
    b.visible(By.id("kitchen-publish"));
    twoShiftKitchen = b.driver.getCurrentUrl().replaceAll(".*#/host/kitchens/", "");

    JsonNode k = node.get("/v1/kitchens/" + twoShiftKitchen, host).body();
    assertThat(k.at("/opening_hours/mon").toString())
        .isEqualTo(
            "[{\"open\":\"06:00\",\"close\":\"11:00\"},{\"open\":\"15:00\",\"close\":\"23:00\"}]");
    assertThat(k.at("/opening_hours/tue").toString())
        .isEqualTo("[{\"open\":\"08:00\",\"close\":\"20:00\"}]");
    assertThat(k.path("opening_hours").has("sun")).as("Sunday closed").isFalse();
    assertThat(k.at("/rules/buffer_minutes").asInt()).isEqualTo(15);
    assertThat(k.at("/blackouts/0/start").asText())
        .isEqualTo(christmas.atStartOfDay(LONDON).toInstant().toString());
    assertThat(k.at("/blackouts/0/end").asText())
        .isEqualTo(christmas.plusDays(3).atStartOfDay(LONDON).toInstant().toString());

    // The kitchen's page shows every window it has, and the blackout in kitchen time.
    assertThat(valueOf("opening_hours.mon[0].open")).isEqualTo("06:00");
    assertThat(valueOf("opening_hours.mon[1].open")).isEqualTo("15:00");
    assertThat(valueOf("opening_hours.mon[1].close")).isEqualTo("23:00");
    assertThat(b.driver.findElements(By.cssSelector(".day-hours[data-day='sun'] .window")))
        .isEmpty();
    assertThat(valueOf("blackouts"))
        .isEqualTo(christmas + "T00:00 " + christmas.plusDays(3) + "T00:00");

    // Editing: Monday's second window removed, a late window added on Saturday, a rule changed.
    b.driver.findElement(By.cssSelector("button[aria-label='Remove Monday’s window 2']")).click();
    addWindow("sat");
    b.driver.switchTo().activeElement().sendKeys("21:00");
    b.fill("opening_hours.sat[1].close", "24:00");
    b.fill("rules.min_duration_minutes", "90");
    submit("Save changes");
    b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Saved."));
    k = node.get("/v1/kitchens/" + twoShiftKitchen, host).body();
    assertThat(k.at("/opening_hours/mon").toString())
        .isEqualTo("[{\"open\":\"06:00\",\"close\":\"11:00\"}]");
    assertThat(k.at("/opening_hours/sat").toString())
        .isEqualTo(
            "[{\"open\":\"08:00\",\"close\":\"20:00\"},{\"open\":\"21:00\",\"close\":\"24:00\"}]");
    assertThat(k.at("/rules/min_duration_minutes").asInt()).isEqualTo(90);
    assertThat(k.at("/rules/buffer_minutes").asInt()).isEqualTo(15);
    assertThat(k.get("blackouts")).hasSize(1);
    b.visible(By.name("opening_hours.sat[1].open"));
    assertThat(valueOf("opening_hours.sat[1].open")).isEqualTo("21:00");
    b.shot("host-kitchen-windows");
    b.checkAccessibility("kitchen form with several windows a day");

    // The new draft is among the host's kitchens (the list is a moment behind the kitchen).
    awaitListed(host, 3);
    b.open("#/host");
    assertThat(
            b.visible(By.cssSelector("#my-kitchens [data-kitchen-id='" + twoShiftKitchen + "']"))
                .getText())
        .contains("Two Shift Kitchen", "DRAFT");
    assertThat(b.js("return localStorage.length + sessionStorage.length;")).isEqualTo(0L);
    b.assertNothingStored();
  }

  // ---------------------------------------------------------------- daylight saving

  @Test
  @Order(3)
  void theWeekCalendarKeepsKitchenTimeOnTheDaysLondonChangesItsClocks() throws Exception {
    Instant now = node.clock().instant();
    ZoneOffsetTransition spring = nextTransition(now, ZoneOffsetTransition::isGap);
    ZoneOffsetTransition autumn = nextTransition(now, ZoneOffsetTransition::isOverlap);
    LocalDate springDay = spring.getDateTimeBefore().toLocalDate();
    LocalDate autumnDay = autumn.getDateTimeBefore().toLocalDate();
    String dstHost = node.token("cb-host-dst", "host");
    // Open around the clock (no opening hours), bookable 400 days ahead.
    dstKitchen =
        node.publishedKitchen(
            dstHost,
            "{\"name\":\"Clock Change Kitchen\",\"city\":\"London\",\"time_zone\":\"Europe/London\","
                + "\"hourly_rate_cents\":2000,\"rules\":{\"min_duration_minutes\":60,\"horizon_days\":400}}");
    String renter = node.token("cb-renter-dst", "renter");
    // The hour before the change (00:00 GMT to the change's instant, which the clock calls 02:00
    // BST), an hour after it (03:00 to 04:00 BST), and one the day before.
    hold(renter, dstKitchen, local(springDay, 0), spring.getInstant());
    hold(renter, dstKitchen, local(springDay, 3), local(springDay, 4));
    hold(renter, dstKitchen, local(springDay.minusDays(1), 10), local(springDay.minusDays(1), 11));

    // The browser is in Tokyo: nothing on the page may depend on the browser's own zone.
    b.browserTimeZone("Asia/Tokyo");
    try {
      b.signInWithToken(renter);
      b.open("#/kitchens/" + dstKitchen + "?week=" + springDay);
      LocalDate monday = springDay.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      b.wait.until(d -> d.findElements(By.cssSelector(".week .day")).size() == 7);
      assertThat(dayTitles()).containsExactlyElementsOf(titles(monday));

      int sunday = springDay.getDayOfWeek().getValue() - 1;
      List<String> slots = slotsOf(sunday);
      List<String> expected = new ArrayList<>();
      for (Instant t = local(springDay, 0);
          t.isBefore(local(springDay.plusDays(1), 0));
          t = t.plus(Duration.ofMinutes(30))) {
        String label = LocalTime.ofInstant(t, LONDON).toString();
        boolean taken =
            (!t.isBefore(local(springDay, 0)) && t.isBefore(spring.getInstant()))
                || (!t.isBefore(local(springDay, 3)) && t.isBefore(local(springDay, 4)));
        expected.add(label + (taken ? " taken" : "") + " @" + JS_ISO.format(t));
      }
      assertThat(expected).as("the 23-hour day").hasSize(46);
      assertThat(slots).containsExactlyElementsOf(expected);
      assertThat(slots)
          .noneMatch(s -> s.startsWith("01:00") || s.startsWith("01:30"))
          .contains(
              "00:30 taken @" + JS_ISO.format(local(springDay, 0).plusSeconds(1800)),
              "02:00 @" + JS_ISO.format(spring.getInstant()),
              "03:00 taken @" + JS_ISO.format(spring.getInstant().plusSeconds(3600)));
      List<String> saturday = slotsOf(sunday - 1);
      assertThat(saturday)
          .hasSize(48)
          .contains(
              "10:00 taken @" + JS_ISO.format(local(springDay.minusDays(1), 10)),
              "11:00 @" + JS_ISO.format(local(springDay.minusDays(1), 11)));
      b.shot("renter-dst-week");
      b.checkAccessibility("the week of a clock change");

      // The first slot after the change, picked from the keyboard and held: 02:00 BST.
      WebElement two =
          b.driver.findElement(
              By.cssSelector(
                  "button.slot[data-start='" + JS_ISO.format(spring.getInstant()) + "']"));
      assertThat(two.getText()).isEqualTo("02:00");
      two.sendKeys(Keys.ENTER);
      WebElement hold = b.visible(By.xpath("//button[text()='Hold this slot']"));
      assertThat(b.driver.findElement(By.id("hold-area")).getText())
          .contains(DAY_TITLE.format(springDay) + ", 02:00 (Europe/London)");
      assertThat(
              new Select(b.driver.findElement(By.name("end"))).getFirstSelectedOption().getText())
          .startsWith("1 h, until 03:00");
      hold.click();
      b.visible(By.id("countdown"));
      String bookingId = b.driver.getCurrentUrl().replaceAll(".*#/bookings/", "");
      JsonNode held = node.get("/v1/bookings/" + bookingId, renter).body();
      assertThat(held.get("start").asText()).isEqualTo(spring.getInstant().toString());
      assertThat(b.driver.findElement(By.tagName("main")).getText())
          .contains(DAY_TITLE.format(springDay) + ", 02:00 (Europe/London)");

      // The 25-hour day: the repeated hour's slots say which offset they are in.
      b.open("#/kitchens/" + dstKitchen + "?week=" + autumnDay);
      b.wait.until(
          d ->
              d.findElements(By.cssSelector(".week .day h3")).size() == 7
                  && d.findElements(By.cssSelector(".week .day h3"))
                      .get(6)
                      .getText()
                      .equals(DAY_TITLE.format(autumnDay)));
      List<String> longDay = slotsOf(autumnDay.getDayOfWeek().getValue() - 1);
      assertThat(longDay).hasSize(50);
      assertThat(longDay.get(2)).startsWith("01:00 BST @");
      assertThat(longDay.get(4)).startsWith("01:00 GMT @");
      assertThat(longDay.get(6)).startsWith("02:00 @");

      // The host's calendar of that week, in kitchen time too.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  node.get("/v1/kitchens/" + dstKitchen + "/bookings", dstHost)
                          .body()
                          .get("items")
                          .size()
                      == 4);
      b.signInWithToken(dstHost);
      b.open("#/host/kitchens/" + dstKitchen + "/calendar?week=" + springDay);
      b.wait.until(d -> d.findElements(By.cssSelector(".week .day")).size() == 7);
      assertThat(dayTitles()).containsExactlyElementsOf(titles(monday));
      List<WebElement> days = b.driver.findElements(By.cssSelector(".week .day"));
      assertThat(
              days.get(sunday).findElements(By.cssSelector(".booking-block")).stream()
                  .map(e -> e.getText().substring(0, 11))
                  .toList())
          // One hour from midnight ends at 02:00 by the clock, which skips 01:00 to 02:00.
          .containsExactly("00:00–02:00", "02:00–03:00", "03:00–04:00");
      assertThat(days.get(sunday - 1).getText()).contains("10:00–11:00");
      b.shot("host-dst-calendar");
    } finally {
      b.browserTimeZone("");
    }
  }

  // ---------------------------------------------------------------- a busy node

  @Test
  @Order(4)
  void onABusyNodeEveryListPagesAndStaysUsable() throws Exception {
    String busyHost = node.token("cb-busy-host", "host");
    for (int i = 1; i <= BUSY_KITCHENS; i++)
      busyKitchens.add(
          node.publishedKitchen(
              busyHost,
              String.format(
                  "{\"name\":\"Busy Kitchen %02d\",\"city\":\"Busyton\",\"time_zone\":\"UTC\","
                      + "\"hourly_rate_cents\":%d,\"rules\":{\"min_duration_minutes\":60}}",
                  i, 2000 + i)));
    busyRenter = node.token("cb-busy-renter", "renter");
    LocalDate first = LocalDate.ofInstant(node.clock().instant(), ZoneOffset.UTC).plusDays(3);
    busyFirstDay = first;
    // 60 bookings in the first kitchen, the other 240 four each in the next 60.
    for (int n = 0; n < BUSY_BOOKINGS; n++) {
      String kitchen = n < 60 ? busyKitchens.get(0) : busyKitchens.get(1 + (n - 60) / 4);
      int day = n < 60 ? n : (n - 60) % 4;
      Instant start = first.plusDays(day).atTime(10, 0).toInstant(ZoneOffset.UTC);
      String id = hold(busyRenter, kitchen, start, start.plusSeconds(3600));
      if (busyBooking == null) busyBooking = id;
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                node.get("/v1/me/bookings?limit=1", busyRenter)
                        .body()
                        .at("/freshness/pending_events")
                        .asLong()
                    == 0);
    awaitListed(busyHost, BUSY_KITCHENS);

    // The renter's search: 24 a page, three pages, every kitchen once, in the API's order.
    b.signInWithToken(busyRenter);
    b.open("#/search?city=busyton");
    List<String> names =
        pageThrough(".grid > li h3", List.of(24, 24, 17), "busy-search", "renter search");
    assertThat(names)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, BUSY_KITCHENS)
                .mapToObj(i -> String.format("Busy Kitchen %02d", i))
                .toList());
    b.driver.findElement(By.linkText("« First page")).click();
    b.wait.until(ExpectedConditions.urlMatches("city=busyton$"));
    b.wait.until(
        d -> d.findElement(By.cssSelector(".grid > li h3")).getText().equals("Busy Kitchen 01"));

    // My bookings: 25 a page, twelve pages, every booking once.
    b.open("#/my-bookings");
    List<Integer> sizes = new ArrayList<>();
    for (int p = 0; p < BUSY_BOOKINGS / 25; p++) sizes.add(25);
    List<String> bookings =
        pageThrough(
            "#my-bookings tbody tr td:first-child a",
            a -> a.getAttribute("href"),
            sizes,
            "busy-my-bookings",
            "my bookings");
    assertThat(new LinkedHashSet<>(bookings)).as("every booking once").hasSize(BUSY_BOOKINGS);
    b.driver.findElement(By.linkText("« First page")).sendKeys(Keys.ENTER);
    b.wait.until(
        d ->
            d.findElement(By.cssSelector("#my-bookings tbody tr td:first-child a"))
                .getAttribute("href")
                .equals(bookings.get(0)));
    assertThat(b.driver.findElement(By.cssSelector("#my-bookings caption")).getText())
        .isEqualTo("25 bookings on this page, by start");

    // The host's kitchens: 24 a page.
    b.signInWithToken(busyHost);
    b.open("#/host");
    List<String> mine =
        pageThrough("#my-kitchens > li h3", List.of(24, 24, 17), "busy-host-kitchens", "host");
    assertThat(new LinkedHashSet<>(mine)).hasSize(BUSY_KITCHENS);

    // An admin's lists: kitchens 50 a page, and the first kitchen's 60 bookings.
    b.signInWithToken(node.token("cb-admin", "admin"));
    b.open("#/admin/kitchens?city=busyton");
    assertThat(
            new LinkedHashSet<>(
                pageThrough(
                    "#kitchen-list tbody tr",
                    r -> r.getAttribute("data-kitchen-id"),
                    List.of(50, 15),
                    "busy-admin-kitchens",
                    null)))
        .containsExactlyElementsOf(busyKitchens);
    b.open("#/admin/kitchens/" + busyKitchens.get(0) + "/bookings");
    assertThat(
            new LinkedHashSet<>(
                pageThrough(
                    "#booking-list tbody tr",
                    r -> r.getAttribute("data-booking-id"),
                    List.of(50, 10),
                    "busy-admin-bookings",
                    null)))
        .hasSize(60);
  }

  // ---------------------------------------------------------------- phone width

  @Test
  @Order(5)
  void atPhoneWidthEveryRolesPagesFitTheScreenWithEveryControlReachable() throws Exception {
    assertThat(busyBooking).as("the busy node's test ran first").isNotNull();
    b.driver.manage().window().setSize(ConsoleBrowser.PHONE);
    try {
      assertThat(b.js("return window.innerWidth;")).isEqualTo(390L);
      b.signInWithToken(busyRenter);
      phonePage("#/search?city=busyton", "Find a kitchen", "phone-renter-search", true);
      phonePage(
          "#/kitchens/" + busyKitchens.get(0) + "?week=" + busyFirstDay,
          "Busy Kitchen 01",
          "phone-renter-kitchen",
          false);
      b.driver.findElement(By.cssSelector("button.slot")).sendKeys(Keys.ENTER);
      b.visible(By.xpath("//button[text()='Hold this slot']"));
      b.assertFitsTheScreen("a slot picked");
      b.shot("phone-renter-hold-form");
      phonePage(
          "#/bookings/" + busyBooking, "Booking at Busy Kitchen 01", "phone-renter-booking", false);
      phonePage("#/my-bookings", "My bookings", "phone-renter-my-bookings", true);

      b.signInWithToken(host);
      phonePage("#/host", "My kitchens", "phone-host-kitchens", true);
      phonePage(
          "#/host/kitchens/" + twoShiftKitchen, "Two Shift Kitchen", "phone-host-kitchen", true);
      b.js("document.getElementById('opening-hours').scrollIntoView();");
      b.shot("phone-host-kitchen-hours");
      phonePage("#/host/kitchens/new", "Add a kitchen", null, false);
      phonePage("#/host/profile", "Host profile", "phone-host-profile", false);
      phonePage(
          "#/host/kitchens/" + twoShiftKitchen + "/calendar",
          "Two Shift Kitchen: bookings",
          "phone-host-calendar",
          false);
      phonePage("#/host/payouts", "Payouts by week", null, false);
      phonePage("#/host/compliance", "Compliance notices", null, false);

      b.signInWithToken(node.token("cb-admin-2", "admin"));
      phonePage("#/admin", "Compliance review queue", null, false);
      phonePage("#/admin/health", "Platform health", "phone-admin-health", false);
      phonePage("#/admin/charts", "Charts", "phone-admin-charts", false);
      phonePage("#/admin/kitchens?city=busyton", "Kitchens", "phone-admin-kitchens", true);
      phonePage(
          "#/admin/kitchens/" + busyKitchens.get(0) + "/bookings",
          "Busy Kitchen 01: bookings",
          "phone-admin-bookings",
          false);
      phonePage("#/admin/lapses", "Compliance lapses", null, false);
      phonePage("#/admin/payouts", "Payouts", null, false);
    } finally {
      b.driver.manage().window().setSize(ConsoleBrowser.WIDE);
    }
  }

  // ---------------------------------------------------------------- helpers

  private void phonePage(String fragment, String title, String shot, boolean axe)
      throws IOException {
    b.open(fragment);
    b.heading(title);
    // Pages that load more after their heading (health, charts) are given their content first.
    b.wait.until(d -> !d.findElement(By.id("main")).getText().contains("Loading…"));
    b.assertFitsTheScreen(fragment);
    if (axe) b.checkAccessibility(fragment + " at phone width");
    if (shot != null) b.shot(shot);
  }

  /**
   * Follows "Next page →" through a list, checking each page's size, until there is none; the texts
   * of {@code itemCss} on every page.
   */
  private List<String> pageThrough(String itemCss, List<Integer> sizes, String shot, String axe)
      throws IOException {
    return pageThrough(itemCss, WebElement::getText, sizes, shot, axe);
  }

  /**
   * Follows "Next page →" (from the keyboard) through a list, checking each page's size, until
   * there is none; {@code id} of every item of every page, in order.
   */
  private List<String> pageThrough(
      String itemCss,
      java.util.function.Function<WebElement, String> id,
      List<Integer> sizes,
      String shot,
      String axe)
      throws IOException {
    List<String> all = new ArrayList<>();
    String previousFirst = null;
    for (int p = 0; p < sizes.size(); p++) {
      String before = previousFirst;
      int size = sizes.get(p);
      List<String> ids =
          b.wait
              .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
              .until(
                  d -> {
                    List<WebElement> found = d.findElements(By.cssSelector(itemCss));
                    if (found.size() != size) return null;
                    List<String> seen = found.stream().map(id).toList();
                    return seen.get(0).equals(before) ? null : seen;
                  });
      all.addAll(ids);
      previousFirst = ids.get(0);
      if (p == 0) {
        if (shot != null) b.shot(shot);
        if (axe != null) b.checkAccessibility(axe + ", first of several pages");
      }
      List<WebElement> next = b.driver.findElements(By.linkText("Next page →"));
      if (p < sizes.size() - 1) {
        assertThat(next).as("a next page after page %d", p + 1).hasSize(1);
        next.get(0).sendKeys(Keys.ENTER);
      } else assertThat(next).as("no next page after the last").isEmpty();
    }
    return all;
  }

  private void addWindow(String day) {
    b.driver
        .findElement(By.cssSelector(".day-hours[data-day='" + day + "'] button.add-window"))
        .sendKeys(Keys.ENTER);
  }

  private void submit(String text) {
    b.driver.findElement(By.xpath("//button[text()='" + text + "']")).click();
  }

  private String errorFor(String name) {
    return b.visible(By.cssSelector("[data-error-for='" + name + "']:not(:empty)")).getText();
  }

  private String valueOf(String name) {
    return b.driver.findElement(By.name(name)).getAttribute("value");
  }

  private String labelOf(String name) {
    String id = b.driver.findElement(By.name(name)).getAttribute("id");
    return b.driver.findElement(By.cssSelector("label[for='" + id + "']")).getText();
  }

  private List<String> dayTitles() {
    return b.driver.findElements(By.cssSelector(".week .day h3")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private static List<String> titles(LocalDate monday) {
    return java.util.stream.IntStream.range(0, 7)
        .mapToObj(i -> DAY_TITLE.format(monday.plusDays(i)))
        .toList();
  }

  /** The slots of the calendar's {@code day}th column (0 = Monday): "label @ instant". */
  @SuppressWarnings("unchecked")
  private List<String> slotsOf(int day) {
    return (List<String>)
        b.js(
            "return [...document.querySelectorAll('.week .day')[arguments[0]].querySelectorAll('.slot')]"
                + ".map(e => e.textContent + ' @' + e.dataset.start);",
            day);
  }

  private static Instant local(LocalDate day, int hour) {
    return ZonedDateTime.of(day, LocalTime.of(hour, 0), LONDON).toInstant();
  }

  private static ZoneOffsetTransition nextTransition(
      Instant now, Predicate<ZoneOffsetTransition> kind) {
    // Far enough ahead for the kitchen's notice; within its 400-day horizon.
    Instant from = now.plus(Duration.ofDays(3));
    ZoneOffsetTransition t = LONDON.getRules().nextTransition(from);
    while (!kind.test(t)) t = LONDON.getRules().nextTransition(t.getInstant());
    return t;
  }

  private String created(String token, String json) {
    Reply r = node.post("/v1/kitchens", token, json);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body().get("kitchen_id").asText();
  }

  private String hold(String token, String kitchen, Instant start, Instant end) {
    Reply r =
        node.post(
            "/v1/kitchens/" + kitchen + "/bookings",
            token,
            "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body().get("booking_id").asText();
  }

  /** Until the host's list (from the read tables) has {@code count} kitchens. */
  private void awaitListed(String token, int count) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              int n = 0;
              String cursor = null;
              do {
                JsonNode page =
                    node.get(
                            "/v1/hosts/me/kitchens?limit=200"
                                + (cursor == null ? "" : "&cursor=" + cursor),
                            token)
                        .body();
                n += page.get("items").size();
                cursor = page.path("next_cursor").asText(null);
              } while (cursor != null);
              return n == count;
            });
  }
}
