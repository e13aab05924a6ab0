package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's headless Chromium through chromedriver) against a
 * real node over HTTP: a renter's journey (search, hold, pay with the offline provider, cancel with
 * the refund shown first), a host's (create a kitchen, see the API's validation next to its field,
 * upload a sample certificate read by Tesseract, publish), an admin's review; the host's compliance
 * notices and an admin's kitchens, bookings and lapses lists; every page checked with axe-core for
 * serious and critical violations; one page at phone width. Screenshots go to {@code
 * target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private TestDatabase db;
  private TestNode node;
  private WebDriver driver;
  private WebDriverWait wait;
  private String base;
  private String axe;
  private Path profileDir;
  private final List<String> tokensSeen = new ArrayList<>();

  /** The kitchen whose permit the admin approves (expiring 2027-06-30), for the host's notices. */
  private String blankKitchen;

  /** A failed journey leaves a screenshot of where it stopped. */
  @org.junit.jupiter.api.extension.RegisterExtension
  final org.junit.jupiter.api.extension.TestWatcher onFailure =
      new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(
            org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
          try {
            if (driver != null) shot("FAILED-" + context.getRequiredTestMethod().getName());
          } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
          }
        }
      };

  @BeforeAll
  void start() throws IOException {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node =
        TestNode.start(
            db,
            Map.of("hearth.ocr.poll-interval", "100ms", "hearth.ocr.delivery-interval", "200ms"));
    base = "http://127.0.0.1:" + node.port();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("axe.min.js")) {
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.createDirectories(SHOTS);
    profileDir = Files.createTempDirectory("hearth-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--user-data-dir=" + profileDir);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, WAIT);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) driver.quit();
    node.close();
    db.close();
  }

  // ---------------------------------------------------------------- static routes

  @Test
  @Order(1)
  void thePageAndItsFilesAreServedWithAStrictPolicyAndNoToken() throws Exception {
    for (String path :
        List.of(
            "/",
            "/console/app.js",
            "/console/style.css",
            "/console/uPlot.esm.js",
            "/console/uPlot.min.css")) {
      HttpResponse<String> r = raw(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
          .as(path)
          .contains("default-src 'self'")
          .contains("script-src 'self'")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
      String etag = r.headers().firstValue("ETag").orElseThrow();
      assertThat(raw(path, etag).statusCode()).as(path + " revalidated").isEqualTo(304);
    }
    assertThat(raw("/console/app.js", null).headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/javascript");
    assertThat(raw("/console/nope.js", null).statusCode()).isEqualTo(404);
    assertThat(raw("/console/..%2Fapplication.conf", null).statusCode()).isEqualTo(404);
    assertThat(raw("/console/index.html", null).statusCode())
        .as("the page only at /")
        .isEqualTo(404);
    assertThat(node.get("/v1/kitchens", null).status())
        .as("the API still wants a token")
        .isEqualTo(401);
    assertThat(raw("/", null).body()).doesNotContain("<script>").doesNotContain(" style=");
  }

  // ---------------------------------------------------------------- renter

  @Test
  @Order(2)
  void aRenterFindsAKitchenHoldsPaysAndCancelsWithTheRefundShownFirst() throws Exception {
    String host = node.token("console-host-1", "host");
    String kitchen =
        node.publishedKitchen(
            host,
            "{\"name\":\"Harbor Street Commissary\",\"address\":\"12 Harbor St, Brooklyn, NY\","
                + "\"city\":\"New York\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4500,"
                + "\"tax_bps\":888,\"rules\":{\"min_duration_minutes\":120,\"buffer_minutes\":30},"
                + "\"opening_hours\":{\"mon\":[{\"open\":\"06:00\",\"close\":\"23:00\"}],"
                + "\"tue\":[{\"open\":\"06:00\",\"close\":\"23:00\"}],\"wed\":[{\"open\":\"06:00\",\"close\":\"23:00\"}],"
                + "\"thu\":[{\"open\":\"06:00\",\"close\":\"23:00\"}],\"fri\":[{\"open\":\"06:00\",\"close\":\"23:00\"}],"
                + "\"sat\":[{\"open\":\"08:00\",\"close\":\"20:00\"}],\"sun\":[{\"open\":\"08:00\",\"close\":\"20:00\"}]}}");
    String renter = node.token("console-renter-1", "renter");
    signInWithToken(renter);

    // Search by city, in another case than the kitchen's.
    driver.get(base + "/#/search");
    fill("city", "new york");
    driver.findElement(By.name("city")).submit();
    WebElement link = visible(By.linkText("Harbor Street Commissary"));
    shot("renter-search");
    checkAccessibility("search");
    link.click();

    // The kitchen's page and its week; next week is open whatever day it is today.
    visible(By.xpath("//h2[text()='Rules']"));
    // Two weeks on: every slot is then more than 48 h away (the policy's full refund less 5 %).
    driver.findElement(By.linkText("Next week →")).click();
    wait.until(ExpectedConditions.urlContains("week="));
    String firstWeek = driver.getCurrentUrl();
    visible(By.linkText("Next week →")).click();
    wait.until(ExpectedConditions.not(ExpectedConditions.urlToBe(firstWeek)));
    WebElement slot = visible(By.cssSelector("button.slot"));
    assertThat(slot.getText()).matches("\\d\\d:\\d\\d");
    shot("renter-kitchen-week");
    checkAccessibility("kitchen");
    // Keyboard: the slot is a button reached and pressed from the keyboard.
    slot.sendKeys(org.openqa.selenium.Keys.ENTER);
    WebElement hold = visible(By.xpath("//button[text()='Hold this slot']"));
    new Select(driver.findElement(By.name("end"))).selectByIndex(0);
    hold.click();

    // The hold: price breakdown and countdown, then pay with the offline provider.
    WebElement countdown = visible(By.id("countdown"));
    assertThat(countdown.getText()).contains("This hold ends in");
    assertThat(driver.findElement(By.cssSelector("table.price")).getText())
        .contains("Kitchen time")
        .contains("Platform fee")
        .contains("Tax")
        .contains("Total");
    String bookingId = driver.getCurrentUrl().replaceAll(".*#/bookings/", "");
    assertThat(bookingId).startsWith("bk_");
    shot("renter-hold");
    checkAccessibility("hold");
    visible(By.id("pay")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("booking-status"), "CONFIRMED"));
    shot("renter-confirmed");
    assertThat(node.get("/v1/bookings/" + bookingId, renter).body().get("status").asText())
        .isEqualTo("CONFIRMED");

    // My bookings (from the read tables): cancel, with the refund shown before confirming.
    driver.get(base + "/#/my-bookings");
    // The list comes from the read tables, a moment behind: the page's Refresh asks again.
    WebElement cancel =
        wait.until(
            d -> {
              List<WebElement> found = d.findElements(By.xpath("//button[text()='Cancel…']"));
              if (!found.isEmpty()) return found.get(0);
              d.findElements(By.id("refresh-bookings")).forEach(WebElement::click);
              return null;
            });
    shot("renter-my-bookings");
    checkAccessibility("my bookings");
    cancel.click();
    WebElement preview = visible(By.id("refund-preview"));
    long total =
        node.get("/v1/bookings/" + bookingId, renter).body().at("/price/total_cents").asLong();
    long expected = total - Math.round(total * 5 / 100.0);
    assertThat(preview.getText()).contains("refunds " + dollars(expected));
    shot("renter-cancel-dialog");
    driver.findElement(By.id("confirm-cancel")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Cancelled"));
    JsonNode cancelled = node.get("/v1/bookings/" + bookingId, renter).body();
    assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.get("refund_cents").asLong())
        .as("what the dialog said")
        .isEqualTo(expected);
    assertNothingStored();
  }

  // ---------------------------------------------------------------- host

  @Test
  @Order(3)
  void aHostCreatesAKitchenUploadsACertificateAndPublishesIt() throws Exception {
    // A built-in account: sign up as a host in the browser, then a reload keeps the session
    // (the HttpOnly refresh cookie; the access token itself lives in the page's memory only).
    String admin = node.token("console-admin-0", "admin");
    driver.get(base + "/#/sign-up");
    driver.navigate().refresh();
    fill("name", "Hana Host");
    fill("email", "hana-" + UUID.randomUUID() + "@example.com");
    fill("password", "correct horse battery staple 42");
    new Select(driver.findElement(By.name("role"))).selectByValue("host");
    shot("sign-up");
    checkAccessibility("sign-up");
    driver.findElement(By.xpath("//button[text()='Create account']")).click();
    wait.until(ExpectedConditions.urlContains("#/host/profile"));
    visible(By.xpath("//button[text()='Sign out']"));
    driver.navigate().refresh();
    visible(By.xpath("//button[text()='Sign out']"));
    visible(By.xpath("//h1[text()='Host profile']"));
    assertNothingStored();

    driver.get(base + "/#/host/profile");
    fill("legal_name", "Harbor Street Commissary LLC");
    fill("business_name", "Harbor Street Commissary LLC");
    fill("contact_email", "hana@harbor.example");
    // France has no rules in the built-in set: publishing needs no full set of permits.
    fill("address", "12 rue du Four, 75006 Paris");
    fill("city", "Paris");
    fill("country", "FR");
    driver.findElement(By.xpath("//button[text()='Save profile']")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Profile saved"));
    shot("host-profile");
    checkAccessibility("host profile");

    driver.get(base + "/#/host/kitchens/new");
    fill("name", "Rue du Four Kitchen");
    fill("address", "12 rue du Four, 75006 Paris");
    fill("city", "Paris");
    fill("time_zone", "Mars/Olympus_Mons");
    fill("hourly_rate_cents", "45.00");
    driver.findElement(By.xpath("//button[text()='Create kitchen']")).click();
    // The API's validation message, as a sentence next to the field it concerns.
    WebElement zoneError = visible(By.cssSelector("[data-error-for='time_zone']:not(:empty)"));
    assertThat(zoneError.getText()).startsWith("Time zone ");
    assertThat(driver.findElement(By.name("time_zone")).getAttribute("aria-invalid"))
        .isEqualTo("true");
    shot("host-kitchen-validation");
    checkAccessibility("kitchen form with errors");
    fill("time_zone", "Europe/Paris");
    driver.findElement(By.xpath("//button[text()='Create kitchen']")).click();
    visible(By.id("kitchen-publish"));
    String kitchenId = driver.getCurrentUrl().replaceAll(".*#/host/kitchens/", "");
    assertThat(node.get("/v1/kitchens/" + kitchenId, admin).body().get("status").asText())
        .isEqualTo("DRAFT");

    // Upload a sample certificate; Tesseract reads it and the page shows what it read.
    new Select(driver.findElement(By.name("type"))).selectByValue("HEALTH_PERMIT");
    driver
        .findElement(By.name("file"))
        .sendKeys(
            Path.of("..", "docs", "samples", "health-permit.png")
                .toAbsolutePath()
                .normalize()
                .toString());
    driver.findElement(By.xpath("//button[text()='Upload']")).click();
    new WebDriverWait(driver, Duration.ofSeconds(90))
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("document-list"), "2028-09-13"));
    assertThat(driver.findElement(By.id("document-list")).getText()).contains("READ");
    assertThat(driver.findElement(By.id("compliance")).getText()).contains("Compliance:");
    shot("host-kitchen-documents");
    checkAccessibility("kitchen page");

    driver.findElement(By.id("kitchen-publish")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("kitchen-status"), "PUBLISHED"));
    assertThat(node.get("/v1/kitchens/" + kitchenId, admin).body().get("status").asText())
        .isEqualTo("PUBLISHED");
    visible(By.id("kitchen-pause"));

    driver.get(base + "/#/host/kitchens/" + kitchenId + "/calendar");
    visible(By.cssSelector(".week"));
    shot("host-calendar");
    checkAccessibility("host calendar");
    driver.get(base + "/#/host/payouts");
    visible(By.xpath("//h1[text()='Payouts by week']"));
    shot("host-payouts");
    assertNothingStored();
  }

  // ---------------------------------------------------------------- admin

  @Test
  @Order(4)
  void anAdminReviewsAnUnreadableDocumentAndCorrectsItsExpiry() throws Exception {
    String host = node.token("console-host-3", "host");
    String kitchen =
        node.post(
                "/v1/kitchens",
                host,
                "{\"name\":\"Blank Page Bakery\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":3000}")
            .body()
            .get("kitchen_id")
            .asText();
    blankKitchen = kitchen;
    String documentId =
        upload(host, kitchen, "HEALTH_PERMIT", blankPng()).get("document_id").asText();
    String admin = node.token("console-admin-1", "admin");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                node.get("/v1/admin/compliance/reviews", admin)
                    .body()
                    .toString()
                    .contains(documentId));

    signInWithToken(admin);
    driver.get(base + "/#/admin");
    String card = "[data-document-id='" + documentId + "'] ";
    WebElement expiry = visible(By.cssSelector(card + "[name='fields.expiry_date']"));
    shot("admin-review-queue");
    checkAccessibility("review queue");
    // Approving without a reason: the API's message next to the reason field.
    expiry.sendKeys("2027-06-30");
    driver.findElement(By.cssSelector(card + "button.approve")).click();
    WebElement reasonError =
        visible(By.cssSelector(card + "[data-error-for='reason']:not(:empty)"));
    assertThat(reasonError.getText()).startsWith("Reason");
    driver
        .findElement(By.cssSelector(card + "[name='reason']"))
        .sendKeys("read by hand: the permit is valid until June 2027");
    driver.findElement(By.cssSelector(card + "button.approve")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "approved"));
    JsonNode doc = null;
    for (JsonNode d :
        node.get("/v1/kitchens/" + kitchen + "/documents", admin).body().path("documents"))
      if (d.get("document_id").asText().equals(documentId)) doc = d;
    assertThat(doc).isNotNull();
    assertThat(doc.get("status").asText()).isEqualTo("APPROVED");
    assertThat(doc.at("/fields/expiry_date/value").asText()).isEqualTo("2027-06-30");

    driver.get(base + "/#/admin/health");
    visible(By.id("h-cluster"));
    shot("admin-health");
    checkAccessibility("health");
    driver.get(base + "/#/admin/charts");
    visible(By.cssSelector("#chart-occupancy canvas"));
    shot("admin-charts");
    checkAccessibility("charts");
  }

  // ---------------------------------------------------------------- compliance and admin lists

  @Test
  @Order(5)
  void aHostSeesItsNoticesAndAnAdminSearchesKitchensBookingsAndLapses() throws Exception {
    assertThat(blankKitchen).as("the admin's review ran first").isNotNull();
    // The host of the bakery: its permit, approved above with an expiry of 2027-06-30.
    signInWithToken(node.token("console-host-3", "host"));
    driver.get(base + "/#/host");
    WebElement panel = visible(By.id("notices-panel"));
    wait.until(ExpectedConditions.textToBePresentInElement(panel, "the next 30 days"));
    driver.get(base + "/#/host/compliance?within_days=366");
    WebElement notices = visible(By.cssSelector("#notices [data-kind='DOCUMENT_EXPIRING']"));
    assertThat(notices.getText())
        .contains("Blank Page Bakery")
        .contains("Certificate expiring (health permit)")
        .contains("2027-06-30");
    assertThat(driver.findElement(By.tagName("main")).getText())
        .containsPattern("(Up to date as of|As of) ");
    shot("host-compliance-notices");
    checkAccessibility("compliance notices");
    driver.get(base + "/#/host/kitchens/" + blankKitchen);
    WebElement lapses = visible(By.cssSelector("#lapses #lapse-empty"));
    assertThat(lapses.getText()).isEqualTo("No confirmed bookings inside a compliance lapse.");
    checkAccessibility("kitchen page with its lapse bookings");

    // The harbor's host: its payouts page shows, week by week, what GET /v1/hosts/me/payouts
    // gives (the payout batch's own figures), newest week first.
    String harborHost = node.token("console-host-1", "host");
    signInWithToken(harborHost);
    driver.get(base + "/#/host/payouts");
    visible(By.cssSelector("#payouts tbody tr"));
    JsonNode weeks = node.get("/v1/hosts/me/payouts", harborHost).body().get("items");
    assertThat(weeks).hasSize(8);
    List<WebElement> payoutRows = driver.findElements(By.cssSelector("#payouts tbody tr"));
    List<String> shown = new ArrayList<>();
    for (WebElement r : payoutRows) shown.add(r.getAttribute("data-week"));
    List<String> expectedWeeks = new ArrayList<>();
    for (JsonNode w : weeks) {
      int lines = Math.max(1, w.get("lines").size());
      for (int i = 0; i < lines; i++) expectedWeeks.add(0, w.get("week").asText());
    }
    assertThat(shown).as("one row per week and currency, newest first").isEqualTo(expectedWeeks);
    for (JsonNode w : weeks) {
      WebElement row =
          driver.findElement(
              By.cssSelector("#payouts tr[data-week='" + w.get("week").asText() + "']"));
      assertThat(row.getText())
          .contains(w.get("status").asText().equals("final") ? "Final" : "Provisional");
      if (w.get("lines").isEmpty()) assertThat(row.getText()).contains("Nothing to pay");
      else
        assertThat(row.getText())
            .contains(
                dollars(w.at("/lines/0/gross_cents").asLong()),
                dollars(w.at("/lines/0/fees_cents").asLong()),
                dollars(w.at("/lines/0/refunds_cents").asLong()),
                dollars(w.at("/lines/0/payout_cents").asLong()));
    }
    shot("host-payouts-weeks");
    checkAccessibility("host payouts");

    String admin = node.token("console-admin-2", "admin");
    JsonNode harbor = node.get("/v1/kitchens?city=new%20york", admin).body().get("items").get(0);
    JsonNode booking =
        node.get("/v1/kitchens/" + harbor.get("kitchen_id").asText() + "/bookings", admin)
            .body()
            .get("items")
            .get(0);
    signInWithToken(admin);
    driver.get(base + "/#/admin/kitchens");
    fill("city", "NEW YORK");
    driver.findElement(By.xpath("//button[text()='Search']")).click();
    wait.until(ExpectedConditions.urlContains("city=NEW+YORK"));
    WebElement row =
        visible(By.cssSelector("[data-kitchen-id='" + harbor.get("kitchen_id").asText() + "']"));
    assertThat(row.getText()).contains("Harbor Street Commissary", "PUBLISHED", "$45.00/h");
    assertThat(driver.findElements(By.cssSelector("#kitchen-list tbody tr"))).hasSize(1);
    shot("admin-kitchens");
    checkAccessibility("kitchen search");
    // Drafts, which only admins and operators may list.
    driver.get(base + "/#/admin/kitchens?status=DRAFT");
    WebElement drafts =
        visible(By.cssSelector("#kitchen-list [data-kitchen-id='" + blankKitchen + "']"));
    assertThat(drafts.getText()).contains("Blank Page Bakery", "DRAFT");
    assertThat(driver.findElement(By.id("kitchen-list")).getText())
        .doesNotContain("Harbor Street Commissary");

    driver.get(base + "/#/admin/kitchens?city=new%20york");
    visible(By.linkText("Bookings of Harbor Street Commissary")).click();
    WebElement bookingRow =
        visible(
            By.cssSelector(
                "#booking-list [data-booking-id='" + booking.get("booking_id").asText() + "']"));
    assertThat(bookingRow.getText())
        .contains(booking.get("booking_id").asText().substring(0, 14))
        .contains(booking.get("status").asText())
        .contains(booking.get("renter_id").asText())
        .contains(dollars(booking.at("/price/total_cents").asLong()));
    shot("admin-bookings");
    checkAccessibility("kitchen bookings");
    // A date that is not one, said next to its field; then a filter that keeps nothing.
    fill("from", "next tuesday");
    driver.findElement(By.xpath("//button[text()='Filter']")).click();
    assertThat(visible(By.cssSelector("[data-error-for='from']:not(:empty)")).getText())
        .isEqualTo("From (UTC day) must be a date such as 2026-12-01.");
    fill("from", "");
    new Select(driver.findElement(By.name("status"))).selectByValue("HELD");
    driver.findElement(By.xpath("//button[text()='Filter']")).click();
    wait.until(ExpectedConditions.urlContains("status=HELD"));
    visible(By.xpath("//p[text()='No booking matches.']"));

    driver.get(base + "/#/admin/lapses?lapse=LAPSED");
    WebElement none = visible(By.id("lapse-empty"));
    assertThat(none.getText()).isEqualTo("No confirmed bookings inside a compliance lapse.");
    assertThat(new Select(driver.findElement(By.name("lapse"))).getFirstSelectedOption().getText())
        .startsWith("lapsed");
    assertThat(node.get("/v1/admin/compliance/lapses?lapse=LAPSED", admin).body().get("items"))
        .isEmpty();
    shot("admin-lapses");
    checkAccessibility("compliance lapses");

    // Payouts: asked before the request that records a batch; a week not over is refused.
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
    String thisWeek = isoWeek(now);
    String lastWeek = isoWeek(now.minusWeeks(1));
    String notOver =
        node.get("/v1/admin/payouts?week=" + thisWeek, admin).body().get("detail").asText();
    driver.get(base + "/#/admin/payouts");
    assertThat(visible(By.name("week")).getAttribute("value")).isEqualTo(lastWeek);
    fill("week", thisWeek);
    driver.findElement(By.xpath("//button[text()='Show the payout batch']")).click();
    visible(By.id("confirm-batch"));
    shot("admin-payouts-confirm");
    checkAccessibility("payout confirmation");
    driver.findElement(By.id("confirm-batch-yes")).click();
    WebElement refused = visible(By.cssSelector("#payout-result .form-error"));
    assertThat(refused.getText()).startsWith(notOver.substring(0, 1).toUpperCase());
    // The API's sentence, up to the instant it was asked at ("..., not at <now>.").
    assertThat(refused.getText().toLowerCase())
        .contains(notOver.toLowerCase().replaceAll(",? not at .*$", ""));
    fill("week", lastWeek);
    driver.findElement(By.xpath("//button[text()='Show the payout batch']")).click();
    driver.findElement(By.xpath("//dialog//button[text()='Cancel']")).click();
    assertThat(driver.findElement(By.id("payout-result")).getText()).doesNotContain(lastWeek);
    for (String said :
        List.of(
            "This batch was made and recorded just now.",
            "This batch was made earlier; this is it unchanged.")) {
      driver.findElement(By.xpath("//button[text()='Show the payout batch']")).click();
      visible(By.id("confirm-batch-yes")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("batch-created"), said));
      assertThat(driver.findElement(By.id("h-batch")).getText()).endsWith(lastWeek);
    }
    shot("admin-payouts");
    checkAccessibility("payouts");
  }

  private static String isoWeek(java.time.ZonedDateTime t) {
    return String.format(
        "%d-W%02d",
        t.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
        t.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  // ---------------------------------------------------------------- phone

  @Test
  @Order(6)
  void atPhoneWidthThePagesFitTheScreen() throws Exception {
    driver.manage().window().setSize(new Dimension(390, 844));
    try {
      signInWithToken(node.token("console-renter-2", "renter"));
      driver.get(base + "/#/search?city=new%20york");
      WebElement link = visible(By.linkText("Harbor Street Commissary"));
      assertNoSidewaysScroll("search");
      shot("phone-search");
      link.click();
      visible(By.cssSelector(".week"));
      assertNoSidewaysScroll("kitchen");
      checkAccessibility("kitchen at phone width");
      shot("phone-kitchen");
    } finally {
      driver.manage().window().setSize(new Dimension(1280, 1000));
    }
  }

  // ---------------------------------------------------------------- helpers

  private void signInWithToken(String token) throws IOException {
    tokensSeen.add(token);
    // A fresh page load drops the previous token (it is kept in memory only).
    driver.get(base + "/#/sign-in");
    driver.navigate().refresh();
    WebElement field = visible(By.name("token"));
    if (shotsOfSignInTaken++ == 0) {
      shot("sign-in");
      checkAccessibility("sign-in");
    }
    field.sendKeys(token);
    driver.findElement(By.xpath("//button[text()='Use this token']")).click();
    wait.until(
        ExpectedConditions.visibilityOfElementLocated(By.xpath("//button[text()='Sign out']")));
    // Signed in, the console goes to the role's start page: wait until it is there.
    wait.until(
        d -> {
          String url = d.getCurrentUrl();
          return !url.endsWith("#/") && !url.contains("sign-in");
        });
    wait.until(
        d ->
            !d.findElements(By.cssSelector("main h1")).isEmpty()
                && !d.findElement(By.cssSelector("main h1")).getText().equals("Sign in"));
    assertThat(driver.getCurrentUrl()).doesNotContain(token.substring(0, 20));
  }

  private int shotsOfSignInTaken = 0;

  private WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private void fill(String name, String value) {
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              WebElement e = d.findElement(By.name(name));
              e.clear();
              e.sendKeys(value);
              return e.getAttribute("value").equals(value);
            });
  }

  private void shot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }

  /** axe-core in the page: no serious or critical violation. */
  @SuppressWarnings("unchecked")
  private void checkAccessibility(String what) {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript(axe);
    Object result =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "axe.run(document, {resultTypes: ['violations']})"
                    + ".then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                    + ".map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))))"
                    + ".catch(e => done(['axe failed: ' + e]));");
    assertThat((List<String>) result)
        .as("serious or critical accessibility violations on " + what)
        .isEmpty();
  }

  private void assertNoSidewaysScroll(String what) {
    Object overflow =
        ((JavascriptExecutor) driver)
            .executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(((Number) overflow).longValue())
        .as(what + " scrolls sideways by")
        .isLessThanOrEqualTo(0);
  }

  /** No token in local or session storage or in a cookie that scripts can read. */
  private void assertNothingStored() {
    Object stored =
        ((JavascriptExecutor) driver)
            .executeScript(
                "return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie;");
    assertThat(String.valueOf(stored)).doesNotContain("eyJ").doesNotContain("hearth_refresh");
    for (String token : tokensSeen)
      assertThat(String.valueOf(stored))
          .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    for (String token : tokensSeen)
      assertThat(String.valueOf(stored)).doesNotContain(token.substring(0, 30));
  }

  private static String dollars(long cents) {
    return String.format("$%,d.%02d", cents / 100, cents % 100);
  }

  private HttpResponse<String> raw(String path, String ifNoneMatch) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (ifNoneMatch != null) b.header("If-None-Match", ifNoneMatch);
    return node.client().send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] blankPng() throws IOException {
    BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, 400, 300);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private JsonNode upload(String token, String kitchenId, String type, byte[] file) {
    String boundary = "hearth-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n"
                + type
                + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"blank.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    TestNode.Reply r =
        node.send(
            node.request("/v1/kitchens/" + kitchenId + "/documents", token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body();
  }
}
