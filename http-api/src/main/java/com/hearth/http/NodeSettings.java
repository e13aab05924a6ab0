package com.hearth.http;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/** The node's own settings from {@code hearth.*}; defaults and overrides are in the .conf files. */
public record NodeSettings(
    String httpInterface,
    int httpPort,
    Duration askTimeout,
    Duration writeBudget,
    long maxBodyBytes,
    long webhookMaxBodyBytes,
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    int maxConnections,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int dbMaxConnections,
    int readModelConnections,
    String jwtSecret,
    TokenClaims.Limits tokenLimits,
    java.util.Optional<ExternalTokens.Settings> oidc,
    boolean localTokens,
    java.util.Optional<ConsoleRoutes.StripeJs> consoleStripe) {

  public static NodeSettings from(Config config) {
    Config http = config.getConfig("hearth.http");
    Config db = config.getConfig("hearth.db");
    return new NodeSettings(
        http.getString("interface"),
        http.getInt("port"),
        http.getDuration("ask-timeout"),
        http.getDuration("write-budget"),
        http.getBytes("max-body-bytes"),
        http.getBytes("webhook-max-body-bytes"),
        http.getDuration("header-timeout"),
        http.getDuration("body-timeout"),
        http.getDuration("idle-timeout"),
        http.getInt("max-connections"),
        Path.of(db.getString("data-dir")).toAbsolutePath().normalize(),
        db.getString("url"),
        db.getString("user"),
        db.getString("password"),
        db.getInt("max-connections"),
        config.getInt("hearth.read-models.query-connections"),
        config.getString("hearth.auth.jwt-secret"),
        new TokenClaims.Limits(
            config.getDuration("hearth.auth.max-token-lifetime"),
            config.getDuration("hearth.auth.token-leeway")),
        ExternalTokens.Settings.from(config),
        config.getBoolean("hearth.auth.local-tokens"),
        ConsoleRoutes.StripeJs.from(config.getConfig("hearth.payments.stripe")));
  }

  public boolean usesPostgres() {
    return !dbUrl.isBlank();
  }
}
