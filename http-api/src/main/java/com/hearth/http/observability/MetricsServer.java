package com.hearth.http.observability;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import kamon.Kamon;
import kamon.prometheus.PrometheusReporter;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint: {@code GET /metrics} on a port of its own ({@code hearth.metrics}),
 * loopback by default. Kamon is configured from {@code hearth.metrics} (its tick, the JVM and
 * process collectors of kamon-system-metrics) and its Prometheus reporter is added here, once per
 * JVM; the reporter's own embedded server is not used, so the endpoint binds where Hearth says,
 * stops with the node, and port 0 works for tests.
 *
 * <p>No bytecode agent (Kanela) is attached: Pekko, Pekko HTTP and sharding are measured by
 * Hearth's own instruments (see docs/metrics.md), JVM, GC, memory, threads and process CPU by the
 * system-metrics collectors.
 */
public final class MetricsServer extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  private static PrometheusReporter reporter;

  private MetricsServer() {}

  /** Configures Kamon and registers the reporter, once per JVM; later calls reuse it. */
  static synchronized PrometheusReporter reporter(Config config) {
    if (reporter != null) return reporter;
    Config kamon =
        ConfigFactory.parseString(
                """
        kamon.environment.service = "hearth"
        kamon.prometheus.start-embedded-http-server = no
        kamon.modules.prometheus-reporter.enabled = no
        kamon.modules.host-metrics.enabled = no
        kamon.modules.jvm-metrics.enabled = yes
        kamon.modules.process-metrics.enabled = yes
        kamon.init.hide-banner = true
        """)
            .withFallback(
                ConfigFactory.parseMap(
                    java.util.Map.of(
                        "kamon.metric.tick-interval",
                        config.getDuration("hearth.metrics.tick-interval").toMillis() + "ms",
                        "kamon.instrumentation.system.process.hiccup-monitor-interval",
                        config.getDuration("hearth.metrics.hiccup-interval").toMillis() + "ms")))
            .withFallback(
                ConfigFactory.parseString(
                    "kamon.prometheus.buckets.time-buckets = "
                        + "[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]"))
            .withFallback(config)
            .withFallback(ConfigFactory.defaultReference());
    // init (not only reconfigure) starts Kamon's ticker and loads the enabled modules; with no
    // bundle on the class path it attaches no agent.
    Kamon.init(kamon);
    reporter = new PrometheusReporter("kamon.prometheus", kamon);
    Kamon.addReporter("hearth-prometheus", reporter);
    return reporter;
  }

  private Route route(PrometheusReporter source) {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    complete(
                        HttpResponse.create()
                            .withEntity(
                                HttpEntities.create(
                                    ContentTypes.create(MediaTypes.TEXT_PLAIN, HttpCharsets.UTF_8),
                                    source.scrapeData())))));
  }

  /**
   * Binds {@code GET /metrics} on {@code hearth.metrics.interface:port}, or returns null when
   * metrics are off or the port is taken (the node runs on without them, and says so).
   */
  public static ServerBinding start(ActorSystem<?> system, Config config) {
    if (!config.getBoolean("hearth.metrics.enabled")) {
      log.info("metrics are off (HEARTH_METRICS_ENABLED=false)");
      return null;
    }
    PrometheusReporter source = reporter(config);
    String iface = config.getString("hearth.metrics.interface");
    int port = config.getInt("hearth.metrics.port");
    Route route = new MetricsServer().route(source);
    try {
      ServerBinding binding =
          Http.get(system)
              .newServerAt(iface, port)
              .bind(route)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)
              .addToCoordinatedShutdown(Duration.ofSeconds(5), system);
      log.info(
          "metrics for Prometheus on http://{}:{}/metrics",
          iface,
          binding.localAddress().getPort());
      return binding;
    } catch (Exception e) {
      log.warn(
          "the metrics endpoint did not start on {}:{} ({}); set HEARTH_METRICS_PORT to a free port",
          iface,
          port,
          e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      return null;
    }
  }
}
