package com.hearth.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * page's scripts send a bearer token, held in memory only, on every {@code /v1} call. Every answer
 * carries a strict Content-Security-Policy (scripts and styles from this origin only, no inline
 * code), {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and is
 * revalidated by its ETag ({@code Cache-Control: no-cache}), so a new node's files are seen at
 * once.
 */
final class ConsoleRoutes extends AllDirectives {

  /** What the browser may load and where the page may talk to: this origin only. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private static final String WEBJAR = "META-INF/resources/webjars/uplot/1.6.30/dist/";

  /** The console's own files (under {@code console/} on the class path), and the library's. */
  private static final Map<String, String> LIBRARY =
      Map.of("uPlot.esm.js", WEBJAR + "uPlot.esm.js", "uPlot.min.css", WEBJAR + "uPlot.min.css");

  private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]{0,40}\\.(js|css|svg)");

  private final ClassLoader loader = ConsoleRoutes.class.getClassLoader();
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

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
    Asset a = asset.get();
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

  private static List<HttpHeader> headers(String etag) {
    return List.of(
        RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        RawHeader.create("X-Content-Type-Options", "nosniff"),
        RawHeader.create("Referrer-Policy", "no-referrer"),
        RawHeader.create("X-Frame-Options", "DENY"),
        RawHeader.create("Cache-Control", "no-cache"),
        RawHeader.create("ETag", etag));
  }

  private Optional<Asset> load(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) return Optional.empty();
      byte[] bytes = in.readAllBytes();
      String etag =
          "\""
              + HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                  .substring(0, 32)
              + "\"";
      return Optional.of(new Asset(bytes, typeOf(resource), etag));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
