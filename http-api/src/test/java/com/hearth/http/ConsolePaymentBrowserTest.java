package com.hearth.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.http.stripe.FakeStripe;
import com.hearth.testing.TestDates;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * The console paying through Stripe in a real browser, against a node whose Stripe is {@link
 * FakeStripe} (the Stripe-compatible server the payment tests use). CI cannot reach Stripe, so the
 * node's Stripe.js address ({@code hearth.payments.stripe.js-url}) points at a stand-in served here
 * ({@code stripe-js-stand-in.js}): it implements the part of Stripe.js the console uses and
 * confirms the intent at FakeStripe with the publishable key and client secret, cross-origin, as
 * Stripe.js does at api.stripe.com. The webhook is then delivered signed, as Stripe would, and the
 * console must show the booking confirmed from the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePaymentBrowserTest {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final String WEBHOOK_SECRET = "whsec_console_" + Long.toHexString(new Random().nextLong());

  private FakeStripe stripe;
  private HttpServer standIn;
  private TestDatabase db;
  private TestNode node;
  private ConsoleBrowser browser;

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
    stripe = new FakeStripe(17);
    String script;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("stripe-js-stand-in.js")) {
      script = new String(in.readAllBytes(), UTF_8).replace("__API_BASE__", stripe.apiBase());
    }
    byte[] bytes = script.getBytes(UTF_8);
    standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    standIn.createContext(
        "/v3/",
        exchange -> {
          exchange
              .getResponseHeaders()
              .set("Content-Type", "application/javascript; charset=utf-8");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    standIn.start();
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.payments.stripe.api-key", stripe.apiKey(),
                "hearth.payments.stripe.api-base", stripe.apiBase(),
                "hearth.payments.stripe.webhook-secret", WEBHOOK_SECRET,
                "hearth.payments.stripe.publishable-key", stripe.publishableKey(),
                "hearth.payments.stripe.js-url", standInOrigin() + "/v3/"));
    browser = new ConsoleBrowser("http://127.0.0.1:" + node.port());
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) browser.close();
    if (node != null) node.close();
    if (db != null) db.close();
    if (standIn != null) standIn.stop(0);
    if (stripe != null) stripe.close();
  }

  private String standInOrigin() {
    return "http://127.0.0.1:" + standIn.getAddress().getPort();
  }

  @Test
  void thePolicyLetsInStripeJsAndItsApiOnlyAndTheConfigHoldsNothingSecret() throws Exception {
    HttpResponse<String> page = raw("/");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .contains("script-src 'self' " + standInOrigin() + ";")
        .contains("frame-src " + standInOrigin() + " https://hooks.stripe.com;")
        .contains("connect-src 'self' " + stripe.apiBase() + ";")
        .contains("img-src 'self' data: blob:;")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    HttpResponse<String> config = raw("/console/config.js");
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/javascript");
    assertThat(config.headers().firstValue("Content-Security-Policy")).hasValue(csp);
    assertThat(config.body())
        .contains("\"" + stripe.publishableKey() + "\"")
        .contains("\"" + standInOrigin() + "/v3/\"")
        .doesNotContain(stripe.apiKey())
        .doesNotContain(WEBHOOK_SECRET)
        .doesNotContain(TestNode.SECRET);
  }

  @Test
  void aRenterPaysByCardThroughStripeElementsAndSeesTheWebhookConfirmTheBooking() throws Exception {
    String host = node.token("stripe-console-host", "host");
    String kitchen =
        node.publishedKitchen(
            host,
            "{\"name\":\"Card Kitchen\",\"city\":\"New York\",\"time_zone\":\"America/New_York\","
                + "\"hourly_rate_cents\":4000,\"tax_bps\":825}");
    String renter = node.token("stripe-console-renter", "renter");
    Instant start =
        TestDates.at(TestDates.today(node.clock(), NEW_YORK).plusDays(4), 9, 0, NEW_YORK);
    TestNode.Reply held =
        node.post(
            "/v1/kitchens/" + kitchen + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(2)) + "\"}");
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    String booking = held.body().get("booking_id").asText();

    browser.signInWithToken(renter);
    browser.open("#/bookings/" + booking);
    WebElement card = browser.visible(By.cssSelector("#card-element input"));
    assertThat(browser.visible(By.id("h-pay")).getText()).isEqualTo("Pay by card");
    browser.checkAccessibility("the card payment");
    browser.shot("renter-stripe-card");

    // A declined card: Stripe's message next to the card field, the booking still held.
    card.sendKeys("4000 0000 0000 0002");
    browser.driver.findElement(By.id("pay")).click();
    assertThat(browser.textOf(By.id("card-error"), "Your card was declined."))
        .contains("The slot is still held");
    browser.checkAccessibility("a declined card");
    browser.shot("renter-stripe-declined");
    assertThat(node.get("/v1/bookings/" + booking, renter).body().get("status").asText())
        .isEqualTo("HELD");
    String intent =
        node.get("/v1/bookings/" + booking + "/payment", renter).body().get("intent_id").asText();

    // Stripe's test card that pays: the console says it is waiting for the kitchen.
    card = browser.driver.findElement(By.cssSelector("#card-element input"));
    card.clear();
    card.sendKeys("4242 4242 4242 4242");
    browser.driver.findElement(By.id("pay")).click();
    await()
        .atMost(ConsoleBrowser.WAIT)
        .until(
            () ->
                stripe.intents().stream()
                    .anyMatch(i -> i.id().equals(intent) && i.status().equals("succeeded")));
    browser.textOf(
        By.cssSelector("#pay-area p[role='status']"), "Paid. Confirming with the kitchen");
    assertThat(browser.driver.findElement(By.id("card-error")).getText()).isEmpty();
    assertThat(browser.driver.findElement(By.id("booking-status")).getText())
        .as("held until the webhook says the payment succeeded")
        .isEqualTo("HELD");
    browser.shot("renter-stripe-paid");
    assertThat(stripe.intents().stream().filter(i -> i.id().equals(intent)))
        .singleElement()
        .satisfies(i -> assertThat(i.amountReceived()).isEqualTo(8_660));
    assertThat(stripe.requestsByRoute()).containsEntry("POST /v1/payment_intents/{id}/confirm", 2);

    // Stripe's webhooks, signed with the endpoint's secret; the console shows what the API says.
    List<Integer> delivered =
        stripe.deliverWebhooks(
            URI.create(browser.base + "/v1/webhooks/stripe"), WEBHOOK_SECRET, 1, new Random(3));
    assertThat(delivered).containsOnly(200);
    assertThat(browser.textOf(By.id("booking-status"), "CONFIRMED")).isEqualTo("CONFIRMED");
    browser.visible(By.xpath("//*[@id='flash'][text()='Paid and confirmed.']"));
    browser.checkAccessibility("the confirmed booking");
    browser.shot("renter-stripe-confirmed");
    browser.assertNothingStored();
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
