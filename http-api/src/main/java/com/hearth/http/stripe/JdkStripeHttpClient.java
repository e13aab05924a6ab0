package com.hearth.http.stripe;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.stripe.exception.ApiConnectionException;
import com.stripe.net.HttpContent;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * stripe-java's transport on {@link java.net.http.HttpClient}, so that one attempt is one request.
 *
 * <p>stripe-java's default transport is {@code HttpURLConnection}, which silently sends a request a
 * second time, POSTs included, when the connection closes before an answer (JDK property {@code
 * sun.net.http.retryPost}, on by default). The second send is harmless under an idempotency key but
 * makes the retry budget and the attempt counts a lie; this transport sends once.
 *
 * <p>Otherwise it puts on the wire what the default transport puts there: method, URL, the
 * request's headers ({@code Authorization}, {@code Stripe-Version}, {@code Idempotency-Key}...),
 * the two user-agent headers, and for a request with content its {@code Content-Type} and bytes.
 * {@code StripeTransportEquivalenceTest} compares the two on the wire.
 */
final class JdkStripeHttpClient extends com.stripe.net.HttpClient {

  // java.net.http sets these itself and refuses them from callers.
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpClient http;

  JdkStripeHttpClient(Duration connectTimeout) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public StripeResponse request(StripeRequest request) throws ApiConnectionException {
    HttpRequest.Builder builder;
    try {
      builder = HttpRequest.newBuilder(request.url().toURI());
    } catch (URISyntaxException e) {
      throw new ApiConnectionException("invalid Stripe URL " + request.url(), e);
    }
    Integer readTimeout = request.options().getReadTimeout();
    if (readTimeout != null && readTimeout > 0) builder.timeout(Duration.ofMillis(readTimeout));
    HttpHeaders headers =
        request
            .headers()
            .withAdditionalHeaders(
                Map.of(
                    "User-Agent", List.of(buildUserAgentString(request)),
                    "X-Stripe-Client-User-Agent", List.of(buildXStripeClientUserAgentString())));
    headers
        .map()
        .forEach(
            (name, values) -> {
              if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)))
                values.forEach(value -> builder.header(name, value));
            });
    HttpContent content = request.content();
    // stripe-java keeps the body's type on the content, not among the headers: without it Stripe
    // refuses every POST ("Content-Type header was empty"). HttpURLConnectionClient sets it the
    // same way.
    if (content != null) builder.setHeader("Content-Type", content.contentType());
    builder.method(
        request.method().name(),
        content == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(content.byteArrayContent()));
    try {
      HttpResponse<String> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
      return new StripeResponse(
          response.statusCode(), HttpHeaders.of(response.headers().map()), response.body());
    } catch (IOException e) {
      throw new ApiConnectionException(
          "no answer from Stripe for "
              + request.method()
              + " "
              + request.url().getPath()
              + " ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiConnectionException("interrupted while waiting for Stripe", e);
    }
  }
}
