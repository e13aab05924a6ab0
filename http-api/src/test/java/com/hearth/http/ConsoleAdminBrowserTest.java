package com.hearth.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.testing.TestDates;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's admin pages in a real browser against a node with the offline payment provider: the
 * uploaded files in the review queue (an image shown, a TIFF offered as a download, both through
 * blob: URLs the page made from the token-carrying fetch), the payout batch and the reconciliation
 * as CSV downloads equal to the API's, and the charts drawn from GET /v1/admin/stats. axe-core
 * checks every page; screenshots go to {@code target/console-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAdminBrowserTest {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private TestDatabase db;
  private TestNode node;
  private ConsoleBrowser browser;
  private String admin;

  @RegisterExtension
  final TestWatcher onFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          try {
            if (browser != null)
              browser.shot("FAILED-" + context.getRequiredTestMethod().getName());
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
    browser = new ConsoleBrowser("http://127.0.0.1:" + node.port());
    admin = node.token("console-admin-a", "admin");
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) browser.close();
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void withoutStripeThePolicyAllowsNoStripeAndTheConfigSaysSo() throws Exception {
    HttpResponse<String> page = raw("/");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .isEqualTo(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
                + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
                + " form-action 'self'; frame-ancestors 'none'");
    HttpResponse<String> config = raw("/console/config.js");
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.body()).contains("export const stripe = null;");
    assertThat(config.headers().firstValue("Content-Security-Policy")).hasValue(csp);
    String etag = config.headers().firstValue("ETag").orElseThrow();
    assertThat(
            node.client()
                .send(
                    HttpRequest.newBuilder(URI.create(browser.base + "/console/config.js"))
                        .header("If-None-Match", etag)
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode())
        .isEqualTo(304);
  }

  @Test
  void anAdminSeesTheUploadedImageAndGetsTheTiffAsADownload() throws Exception {
    String host = node.token("console-a-host", "host");
    String kitchen =
        node.post(
                "/v1/kitchens",
                host,
                "{\"name\":\"Blank Files Kitchen\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":3000}")
            .body()
            .get("kitchen_id")
            .asText();
    byte[] png = blank("png");
    byte[] tiff = blank("tiff");
    String pngId =
        node.upload(host, kitchen, "HEALTH_PERMIT", "permit.png", png)
            .body()
            .get("document_id")
            .asText();
    String tiffId =
        node.upload(host, kitchen, "FOOD_HANDLER_CERTIFICATE", "handler.tiff", tiff)
            .body()
            .get("document_id")
            .asText();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              String queue = node.get("/v1/admin/compliance/reviews", admin).body().toString();
              return queue.contains(pngId) && queue.contains(tiffId);
            });

    browser.signInWithToken(admin);
    browser.open("#/admin");
    String pngCard = "[data-document-id='" + pngId + "'] ";
    WebElement image = browser.visible(By.cssSelector(pngCard + ".doc-preview img"));
    assertThat(image.getAttribute("src")).startsWith("blob:" + browser.base + "/");
    assertThat(image.getAttribute("alt")).isEqualTo("The health permit as uploaded");
    browser.wait.until(
        d -> ((Number) browser.js("return arguments[0].naturalWidth;", image)).intValue() > 0);
    assertThat(((Number) browser.js("return arguments[0].naturalWidth;", image)).intValue())
        .isEqualTo(400);
    assertThat(((Number) browser.js("return arguments[0].naturalHeight;", image)).intValue())
        .isEqualTo(300);

    String tiffCard = "[data-document-id='" + tiffId + "'] ";
    WebElement download = browser.visible(By.cssSelector(tiffCard + ".doc-preview a[download]"));
    assertThat(download.getAttribute("href")).startsWith("blob:");
    assertThat(download.getText()).startsWith("Download ");
    assertThat(browser.driver.findElement(By.cssSelector(tiffCard + ".doc-preview")).getText())
        .contains("which the browser does not show in the page");
    // The name the API gives it: the document's id and its type's extension.
    String saved = download.getAttribute("download");
    assertThat(saved).startsWith(tiffId + ".tif");
    assertThat(browser.download(download, saved))
        .as("the download is the uploaded file, byte for byte")
        .isEqualTo(tiff);
    assertThat(browser.js("return document.querySelectorAll('iframe, object, embed').length"))
        .isEqualTo(0L);
    browser.checkAccessibility("the review queue with its files");
    browser.shot("admin-review-file");
    browser.assertNothingStored();
  }

  @Test
  void anAdminDownloadsThePayoutBatchAndAReconciliationAsTheApiWroteThem() throws Exception {
    browser.signInWithToken(admin);
    String lastWeek = isoWeek(ZonedDateTime.now(ZoneOffset.UTC).minusWeeks(1));
    browser.open("#/admin/payouts");
    browser.fill("week", lastWeek);
    browser.driver.findElement(By.xpath("//button[text()='Show the payout batch']")).click();
    browser.visible(By.id("confirm-batch-yes")).click();
    WebElement payoutCsv = browser.visible(By.id("payout-csv"));
    assertThat(payoutCsv.getAttribute("download")).isEqualTo("payouts-" + lastWeek + ".csv");
    assertThat(new String(browser.download(payoutCsv, "payouts-" + lastWeek + ".csv"), UTF_8))
        .isEqualTo(node.get("/v1/admin/payouts?week=" + lastWeek, admin).raw().body());

    browser.open("#/admin/reconciliation");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(browser.visible(By.name("from")).getAttribute("value"))
        .isEqualTo(today.minusDays(7).toString());
    // More than the API's 31 days: its sentence next to the field it names.
    browser.fill("from", today.minusDays(40).toString());
    browser.driver.findElement(By.xpath("//button[text()='Reconcile']")).click();
    WebElement toError = browser.visible(By.cssSelector("[data-error-for='to']:not(:empty)"));
    assertThat(toError.getText())
        .isEqualTo("Until (UTC day, not included) must be at most 31 days after from.");
    assertThat(browser.driver.findElement(By.name("to")).getAttribute("aria-invalid"))
        .isEqualTo("true");
    browser.checkAccessibility("a refused reconciliation");
    // Not a date: said before anything is sent.
    browser.fill("from", "last monday");
    browser.driver.findElement(By.xpath("//button[text()='Reconcile']")).click();
    assertThat(browser.textOf(By.cssSelector("[data-error-for='from']"), "must be a date"))
        .startsWith("From (UTC day)");

    browser.fill("from", today.minusDays(7).toString());
    browser.driver.findElement(By.xpath("//button[text()='Reconcile']")).click();
    WebElement csv = browser.visible(By.id("reconciliation-csv"));
    String api =
        node.get(
                "/v1/admin/reconciliation?from="
                    + today.minusDays(7)
                    + "T00:00:00Z&to="
                    + today
                    + "T00:00:00Z",
                admin)
            .raw()
            .body();
    String saved = "reconciliation-" + today.minusDays(7) + "-" + today + ".csv";
    assertThat(csv.getAttribute("download")).isEqualTo(saved);
    assertThat(new String(browser.download(csv, saved), UTF_8)).isEqualTo(api);
    assertThat(api.lines().count()).as("a clean period: the header only").isEqualTo(1);
    browser.visible(By.id("reconciliation-clean"));
    browser.checkAccessibility("reconciliation");
    browser.shot("admin-reconciliation");
  }

  @Test
  void theChartsShowWhatTheStatsRouteSumsAndItsRefusalNextToTheField() throws Exception {
    String host = node.token("console-a-host-2", "host");
    String kitchen =
        node.publishedKitchen(
            host,
            "{\"name\":\"Chart Kitchen\",\"city\":\"New York\",\"time_zone\":\"America/New_York\","
                + "\"hourly_rate_cents\":4000,\"tax_bps\":825}");
    String renter = node.token("console-a-renter", "renter");
    LocalDate day = TestDates.today(node.clock(), NEW_YORK).plusDays(3);
    Instant start = TestDates.at(day, 9, 0, NEW_YORK);
    String confirmed = hold(kitchen, renter, start, 2);
    hold(kitchen, renter, start.plus(Duration.ofHours(4)), 1);
    assertThat(node.post("/v1/bookings/" + confirmed + "/confirm", admin, null).status())
        .isEqualTo(200);
    String from = LocalDate.now(ZoneOffset.UTC).minusDays(13).toString();
    String to = LocalDate.now(ZoneOffset.UTC).plusDays(15).toString();
    String stats = "/v1/admin/stats?from=" + from + "&to=" + to;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> node.get(stats, admin).body().at("/totals/bookings_confirmed").asLong() == 1);
    var totals = node.get(stats, admin).body().get("totals");

    browser.signInWithToken(admin);
    browser.open("#/admin/charts");
    browser.visible(By.cssSelector("#chart-occupancy canvas"));
    browser.visible(By.cssSelector("#chart-funnel canvas"));
    browser.visible(By.cssSelector("#chart-revenue canvas"));
    assertThat(browser.driver.findElement(By.name("from")).getAttribute("value")).isEqualTo(from);
    assertThat(browser.driver.findElement(By.id("funnel")).getText())
        .contains("Holds placed 2")
        .contains("Confirmed 1")
        .contains("Cancelled 0");
    // 2 h at $40 plus 8.25 % tax.
    assertThat(totals.at("/revenue/0/net_cents").asLong()).isEqualTo(8_660);
    assertThat(browser.driver.findElement(By.id("revenue-total")).getText())
        .startsWith("Revenue: $86.60 ($86.60 less $0.00 refunded)");
    browser.checkAccessibility("charts");
    browser.shot("admin-charts");

    // Four months: the API's refusal next to the "until" field.
    browser.fill("to", LocalDate.parse(from).plusDays(120).toString());
    browser.driver.findElement(By.xpath("//button[text()='Show']")).click();
    WebElement toError = browser.visible(By.cssSelector("[data-error-for='to']:not(:empty)"));
    assertThat(toError.getText())
        .isEqualTo("Until (local day, not included) must be at most 92 days after from.");
    browser.checkAccessibility("charts with a refused period");
  }

  private String hold(String kitchen, String renter, Instant start, int hours) {
    TestNode.Reply r =
        node.post(
            "/v1/kitchens/" + kitchen + "/bookings",
            renter,
            "{\"start\":\""
                + start
                + "\",\"end\":\""
                + start.plus(Duration.ofHours(hours))
                + "\"}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body().get("booking_id").asText();
  }

  private static String isoWeek(ZonedDateTime t) {
    return String.format(
        "%d-W%02d", t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  private static byte[] blank(String format) throws IOException {
    BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, 400, 300);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).as(format).isTrue();
    return out.toByteArray();
  }

  private HttpResponse<String> raw(String path) throws Exception {
    return node.client()
        .send(
            HttpRequest.newBuilder(URI.create(browser.base + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
