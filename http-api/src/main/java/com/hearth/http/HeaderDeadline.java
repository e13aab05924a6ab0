package com.hearth.http;

import java.time.Duration;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * Closes a connection whose next request head does not arrive in time: counted from the moment the
 * connection opens or the previous response leaves, until the request line and every header have
 * been read. Pekko HTTP has no such timeout of its own (its idle timeout restarts on every byte, so
 * a client sending a header line every few seconds kept a connection for minutes, and a thousand of
 * them starved the node); the request timeout only starts once a request is complete. One stage per
 * connection, in front of the routes; a slow body is bounded separately by the routes' body
 * timeout.
 */
final class HeaderDeadline
    extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {

  private final Inlet<HttpRequest> requestIn = Inlet.create("HeaderDeadline.requestIn");
  private final Outlet<HttpRequest> requestOut = Outlet.create("HeaderDeadline.requestOut");
  private final Inlet<HttpResponse> responseIn = Inlet.create("HeaderDeadline.responseIn");
  private final Outlet<HttpResponse> responseOut = Outlet.create("HeaderDeadline.responseOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(requestIn, requestOut, responseIn, responseOut);
  private final Duration timeout;

  private HeaderDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * The connection handler: {@code routes}, behind a deadline of {@code timeout} for each request
   * head.
   */
  static Flow<HttpRequest, HttpResponse, NotUsed> around(
      Flow<HttpRequest, HttpResponse, NotUsed> routes, Duration timeout) {
    return BidiFlow.fromGraph(new HeaderDeadline(timeout)).join(routes);
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      private static final String DEADLINE = "next-request-head";

      {
        setHandler(
            requestIn,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                cancelTimer(DEADLINE);
                push(requestOut, grab(requestIn));
              }

              @Override
              public void onUpstreamFinish() {
                complete(requestOut);
              }
            });
        setHandler(
            requestOut,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                pull(requestIn);
              }

              @Override
              public void onDownstreamFinish(Throwable cause) {
                cancel(requestIn, cause);
              }
            });
        setHandler(
            responseIn,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                push(responseOut, grab(responseIn));
                scheduleOnce(DEADLINE, timeout);
              }

              @Override
              public void onUpstreamFinish() {
                complete(responseOut);
              }
            });
        setHandler(
            responseOut,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                pull(responseIn);
              }
            });
      }

      @Override
      public void preStart() {
        scheduleOnce(DEADLINE, timeout);
      }

      @Override
      public void onTimer(Object key) {
        // Ends the connection: the server closes it, as it does when a client leaves.
        completeStage();
      }
    };
  }
}
