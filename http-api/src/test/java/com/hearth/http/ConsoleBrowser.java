package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through chromedriver, pointed at a node's console, with what the
 * console's browser tests check on every page: axe-core for serious and critical violations, no
 * token in storage or the URL, no sideways scrolling, and screenshots to {@code
 * target/console-screenshots/}. The same setup as {@code ConsoleBrowserTest}'s, shared.
 */
final class ConsoleBrowser implements AutoCloseable {

  static final Path SHOTS = Path.of("target", "console-screenshots");
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Dimension WIDE = new Dimension(1280, 1000);
  static final Dimension PHONE = new Dimension(390, 844);

  final ChromeDriver driver;
  final WebDriverWait wait;
  final String base;
  private final String axe;
  private final Path profileDir;

  /** Where the browser saves what a page's download links give it. */
  final Path downloads;

  private final List<String> tokensSeen = new ArrayList<>();

  ConsoleBrowser(String base) throws IOException {
    this.base = base;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("axe.min.js")) {
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.createDirectories(SHOTS);
    profileDir = Files.createTempDirectory("hearth-chromium-");
    downloads = Files.createTempDirectory("hearth-downloads-");
    ChromeOptions options = new ChromeOptions();
    options.setExperimentalOption(
        "prefs",
        java.util.Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false,
            "profile.default_content_setting_values.automatic_downloads",
            1));
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
        "--window-size=" + WIDE.width + "," + WIDE.height,
        "--user-data-dir=" + profileDir);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, WAIT);
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    deleteTree(profileDir);
    deleteTree(downloads);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // a file chromium still holds: left in the temp directory
                }
              });
    }
  }

  /** The page's clock and dates in {@code zone}, whatever the machine's zone. */
  void browserTimeZone(String zone) {
    driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", zone));
  }

  void open(String fragment) {
    driver.get(base + "/" + fragment);
  }

  /**
   * Signs in with a pasted token, after a reload that drops the previous one (kept in memory only).
   */
  void signInWithToken(String token) {
    tokensSeen.add(token);
    driver.get(base + "/#/sign-in");
    driver.navigate().refresh();
    visible(By.name("token")).sendKeys(token);
    driver.findElement(By.xpath("//button[text()='Use this token']")).click();
    visible(By.xpath("//button[text()='Sign out']"));
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

  WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** The main heading once it reads {@code text} (a page has rendered). */
  WebElement heading(String text) {
    return visible(By.xpath("//main/h1[normalize-space()=\"" + text + "\"]"));
  }

  void fill(String name, String value) {
    fill(By.name(name), value);
  }

  void fill(By by, String value) {
    wait.ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              WebElement e = d.findElement(by);
              e.clear();
              e.sendKeys(value);
              return e.getAttribute("value").equals(value);
            });
  }

  /** Waits until the element's text contains {@code text}, and answers the whole text. */
  String textOf(By by, String text) {
    wait.ignoring(StaleElementReferenceException.class)
        .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by).getText();
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Clicks a download link and answers the file the browser saved, once it is complete. */
  byte[] download(WebElement link, String fileName) throws IOException {
    Path file = downloads.resolve(fileName);
    Files.deleteIfExists(file);
    link.click();
    wait.until(
        d -> Files.exists(file) && !Files.exists(downloads.resolve(fileName + ".crdownload")));
    return Files.readAllBytes(file);
  }

  void shot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }

  /** axe-core in the page: no serious or critical violation. */
  @SuppressWarnings("unchecked")
  void checkAccessibility(String what) {
    js(axe);
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

  /**
   * The page does not scroll sideways, and every control (link, button, input) lies within the
   * screen's width or inside a box that scrolls sideways itself (the week calendar, a table).
   */
  @SuppressWarnings("unchecked")
  void assertFitsTheScreen(String what) {
    Number overflow =
        (Number) js("return document.scrollingElement.scrollWidth - window.innerWidth;");
    assertThat(overflow.longValue()).as(what + " scrolls sideways by").isLessThanOrEqualTo(0);
    List<String> outside =
        (List<String>)
            js(
                """
                const out = [];
                const scrolls = (el) => {
                  for (let p = el.parentElement; p; p = p.parentElement) {
                    const o = getComputedStyle(p).overflowX;
                    if ((o === 'auto' || o === 'scroll') && p !== document.scrollingElement) return true;
                  }
                  return false;
                };
                for (const el of document.querySelectorAll('a[href], button, input, select, textarea')) {
                  const r = el.getBoundingClientRect();
                  if (r.width === 0 && r.height === 0) continue; // not shown
                  if (el.classList.contains('skip')) continue; // off screen until focused
                  if ((r.left < -1 || r.right > window.innerWidth + 1) && !scrolls(el))
                    out.push((el.name || el.textContent || el.tagName).trim().slice(0, 40)
                      + ' at ' + Math.round(r.left) + '..' + Math.round(r.right));
                }
                return out;
                """);
    assertThat(outside).as(what + ": controls beyond the screen's width").isEmpty();
  }

  /** No token in local or session storage, in a cookie that scripts can read, or in the URL. */
  void assertNothingStored() {
    Object stored =
        js(
            "return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie"
                + " + location.href;");
    assertThat(String.valueOf(stored)).doesNotContain("eyJ").doesNotContain("hearth_refresh");
    for (String token : tokensSeen)
      assertThat(String.valueOf(stored))
          .doesNotContain(token.substring(token.lastIndexOf('.') + 1))
          .doesNotContain(token.substring(0, 30));
  }
}
