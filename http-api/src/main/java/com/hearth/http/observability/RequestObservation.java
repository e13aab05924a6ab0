package com.hearth.http.observability;

import com.hearth.engine.RequestIds;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Wraps the API: every request gets a request id (the caller's {@code X-Request-Id} when it is a
 * plausible one, else a new one), echoed on the response and put in the logging context ({@code
 * request_id}) while the route runs and when the request is logged; and every request is counted
 * and timed by route template, method and status ({@code hearth_http_requests_seconds}).
 *
 * <p>Each answered request is logged on {@code hearth.access}: at INFO (HEARTH_ACCESS_LOG=INFO
 * turns it on), or WARN for a 5xx. The line names the template, never the path, so no id or query
 * string reaches the log from here.
 */
public final class RequestObservation extends AllDirectives {

  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = RequestIds.MDC_KEY;
  private static final Logger access = LoggerFactory.getLogger("hearth.access");

  /**
   * What a caller's id may look like: short, and nothing that could smuggle text into a log line.
   */
  private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public Route wrap(Route inner) {
    return extractRequest(
        request -> {
          long start = System.nanoTime();
          String requestId = requestId(request);
          String route = RouteTemplates.of(request.getUri().path());
          String method = request.method().value();
          HearthMetrics.httpActive().increment();
          MDC.put(MDC_KEY, requestId);
          try {
            return mapRequest(
                r -> withId(r, requestId),
                () ->
                    mapResponse(
                        response -> finished(response, requestId, route, method, start),
                        () -> inner));
          } finally {
            MDC.remove(MDC_KEY);
          }
        });
  }

  private static HttpRequest withId(HttpRequest request, String requestId) {
    return request.removeHeader(HEADER).addHeader(RawHeader.create(HEADER, requestId));
  }

  private static HttpResponse finished(
      HttpResponse response, String requestId, String route, String method, long start) {
    long nanos = System.nanoTime() - start;
    int status = response.status().intValue();
    HearthMetrics.httpActive().decrement();
    HearthMetrics.httpRequest(route, method, status, nanos);
    MDC.put(MDC_KEY, requestId);
    try {
      if (status >= 500)
        access.warn("{} {} answered {} in {} ms", method, route, status, nanos / 1_000_000);
      else if (access.isInfoEnabled())
        access.info("{} {} answered {} in {} ms", method, route, status, nanos / 1_000_000);
    } finally {
      MDC.remove(MDC_KEY);
    }
    return response.removeHeader(HEADER).addHeader(RawHeader.create(HEADER, requestId));
  }

  /**
   * The inner route with the request's id (the one {@link #wrap} set; null outside it), for the
   * commands it sends: entities and the payment gateway log under it ({@link RequestIds}).
   */
  public static Route withRequestId(Function<String, Route> inner) {
    return Directives.extractRequest(
        request -> inner.apply(request.getHeader(HEADER).map(h -> h.value()).orElse(null)));
  }

  static String requestId(HttpRequest request) {
    return request
        .getHeader(HEADER)
        .map(h -> h.value().trim())
        .filter(v -> PLAUSIBLE.matcher(v).matches())
        .orElseGet(() -> UUID.randomUUID().toString());
  }
}
