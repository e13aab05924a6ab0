package com.hearth.http;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web console: static files served at {@code /} (the page) and {@code /console/{file}} (its
 * scripts, styles and the chart library from its webjar). No token is needed to fetch them; the
 * page's scripts send a bearer token, held in memory only, on every {@code /v1} call. {@code
 * /console/config.js} is made from the node's settings (Stripe's publishable key, when it takes
 * cards through Stripe). Every answer carries a strict Content-Security-Policy (scripts and styles
 * from this origin only, plus Stripe.js's when the node takes cards; no inline code), {@code
 * X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and is revalidated by its
 * ETag ({@code Cache-Control: no-cache}), so a new node's files are seen at once.
 */
final class ConsoleRoutes extends AllDirectives {

  /**
   * Stripe.js, when the node pays through Stripe and has a publishable key: where the console loads
   * it from ({@code hearth.payments.stripe.js-url}, Stripe's own by default) and where it talks to
   * (the API base, {@code https://api.stripe.com} by default). The key is public by nature:
   * Stripe.js needs it in the browser.
   */
  record StripeJs(String publishableKey, URI scriptUrl, URI apiBase) {

    static final String STRIPE_JS_ORIGIN = "https://js.stripe.com";

    /** Present when an API key and a publishable key are both set. */
    static Optional<StripeJs> from(Config stripe) {
      if (stripe.getString("api-key").isBlank() || stripe.getString("publishable-key").isBlank())
        return Optional.empty();
      return Optional.of(
          new StripeJs(
              stripe.getString("publishable-key"),
              URI.create(stripe.getString("js-url")),
              URI.create(stripe.getString("api-base"))));
    }

    /** Where Stripe.js comes from, and, for Stripe's own, its subdomains (Stripe's CSP guide). */
    String scriptSources() {
      String origin = origin(scriptUrl);
      return origin.equals(STRIPE_JS_ORIGIN) ? origin + " https://*.js.stripe.com" : origin;
    }
  }

  /**
   * The policy: this origin only, and with Stripe.js exactly what Stripe's guide lists for card
   * Elements: its script, its frames (the card field, and 3-D Secure on hooks.stripe.com), and its
   * API.
   */
  static String policy(Optional<StripeJs> stripe) {
    String scripts = stripe.map(s -> " " + s.scriptSources()).orElse("");
    String frames =
        stripe
            .map(s -> " frame-src " + s.scriptSources() + " https://hooks.stripe.com;")
            .orElse("");
    String connect = stripe.map(s -> " " + origin(s.apiBase())).orElse("");
    return "default-src 'self'; script-src 'self'"
        + scripts
        + "; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'"
        + connect
        + ";"
        + frames
        + " font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
        + " frame-ancestors 'none'";
  }

  private static String origin(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  private static final String WEBJAR = "META-INF/resources/webjars/uplot/1.6.30/dist/";

  /** The console's own files (under {@code console/} on the class path), and the library's. */
  private static final Map<String, String> LIBRARY =
      Map.of("uPlot.esm.js", WEBJAR + "uPlot.esm.js", "uPlot.min.css", WEBJAR + "uPlot.min.css");

  private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]{0,40}\\.(js|css|svg)");

  private final ClassLoader loader = ConsoleRoutes.class.getClassLoader();
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();
  private final String contentSecurityPolicy;
  private final Asset config;

  ConsoleRoutes(Optional<StripeJs> stripe) {
    this.contentSecurityPolicy = policy(stripe);
    this.config =
        asset(
            configModule(stripe).getBytes(StandardCharsets.UTF_8),
            MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsetsUtf8.UTF8));
  }

  /**
   * {@code /console/config.js}: what the console needs to know of this node's settings, nothing
   * secret. Stripe's publishable key and script are there only when the node pays through Stripe.
   */
  private static String configModule(Optional<StripeJs> stripe) {
    String value =
        stripe
            .map(
                s ->
                    "{ publishableKey: "
                        + Json.write(s.publishableKey())
                        + ", scriptUrl: "
                        + Json.write(s.scriptUrl().toString())
                        + " }")
            .orElse("null");
    return "// This node's settings for the console (served by ConsoleRoutes).\n"
        + "export const stripe = "
        + value
        + ";\n";
  }

  private record Asset(byte[] bytes, ContentType type, String etag) {}

  Route route() {
    // The method is checked after the path matched, so that other paths' 405s do not list GET.
    return concat(
        pathEndOrSingleSlash(() -> get(() -> serve("console/index.html"))),
        pathPrefix(
            "console",
            () ->
                path(
                    name ->
                        get(
                            () -> {
                              if (name.equals("config.js")) return serve(config);
                              String resource =
                                  LIBRARY.containsKey(name)
                                      ? LIBRARY.get(name)
                                      : FILE.matcher(name).matches() ? "console/" + name : null;
                              if (resource == null) return complete(notFound());
                              return serve(resource);
                            }))));
  }

  private Route serve(String resource) {
    Optional<Asset> asset = cache.computeIfAbsent(resource, this::load);
    if (asset.isEmpty()) return complete(notFound());
    return serve(asset.get());
  }

  private Route serve(Asset a) {
    return extractRequest(
        request -> {
          boolean fresh =
              request
                  .getHeader("If-None-Match")
                  .map(h -> h.value().contains(a.etag()))
                  .orElse(false);
          if (fresh)
            return complete(HttpResponse.create().withStatus(304).addHeaders(headers(a.etag())));
          return complete(
              HttpResponse.create()
                  .withStatus(StatusCodes.OK)
                  .withEntity(HttpEntities.create(a.type(), a.bytes()))
                  .addHeaders(headers(a.etag())));
        });
  }

  private List<HttpHeader> headers(String etag) {
    return List.of(
        RawHeader.create("Content-Security-Policy", contentSecurityPolicy),
        RawHeader.create("X-Content-Type-Options", "nosniff"),
        RawHeader.create("Referrer-Policy", "no-referrer"),
        RawHeader.create("X-Frame-Options", "DENY"),
        RawHeader.create("Cache-Control", "no-cache"),
        RawHeader.create("ETag", etag));
  }

  private Optional<Asset> load(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) return Optional.empty();
      return Optional.of(asset(in.readAllBytes(), typeOf(resource)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Asset asset(byte[] bytes, ContentType type) {
    try {
      String etag =
          "\""
              + HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                  .substring(0, 32)
              + "\"";
      return new Asset(bytes, type, etag);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ContentType typeOf(String resource) {
    if (resource.endsWith(".html")) return ContentTypes.TEXT_HTML_UTF8;
    if (resource.endsWith(".css")) return MediaTypes.TEXT_CSS.toContentType(HttpCharsetsUtf8.UTF8);
    if (resource.endsWith(".svg")) return MediaTypes.IMAGE_SVG_XML.toContentType();
    return MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsetsUtf8.UTF8);
  }

  private static HttpResponse notFound() {
    return HearthDirectives.problem(Problems.Type.NOT_FOUND, "no such page");
  }

  /** The UTF-8 charset, named once. */
  private static final class HttpCharsetsUtf8 {
    static final org.apache.pekko.http.javadsl.model.HttpCharset UTF8 =
        org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8;
  }
}
