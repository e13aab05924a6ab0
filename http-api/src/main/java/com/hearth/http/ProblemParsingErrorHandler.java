package com.hearth.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * The answer to a request too malformed to reach the routes (a target over {@code max-uri-length},
 * headers over their limits, a broken request line): a problem document like every other refusal,
 * instead of pekko-http's plain text. Set as {@code pekko.http.server.parsing.error-handler}
 * (http.conf). Nothing of the request is logged or echoed: the parser's own message can quote a
 * header's value, and header values never reach the logs (docs/security.md).
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    int code = status.intValue();
    log.debug("refused a request the HTTP parser could not read: {}", code);
    String detail =
        switch (code) {
          case 413 -> "the request body is larger than allowed";
          case 414 ->
              "the request target is longer than "
                  + settings.parserSettings().maxUriLength()
                  + " characters";
          case 431 -> "the request's headers are larger than allowed";
          default -> "the request could not be read as HTTP/1.1 (" + status.reason() + ")";
        };
    String type = code == 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
    return HearthDirectives.problem(Problem.of(code, type, status.reason(), detail));
  }
}
