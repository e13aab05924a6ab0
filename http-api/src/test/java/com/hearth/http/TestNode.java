package com.hearth.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real node on 127.0.0.1 (random ports) and a real HTTP client talking to it. */
public final class TestNode implements AutoCloseable {

  static final String SECRET = "test-secret-for-hearth-integration-tests-0123456789";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final HearthNode node;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JwtAuth auth = new JwtAuth(SECRET, Clock.systemUTC());

  private TestNode(HearthNode node) {
    this.node = node;
  }

  public static TestNode start(TestDatabase db, Map<String, Object> overrides) {
    Map<String, Object> settings = new HashMap<>(db.nodeSettings());
    settings.put("hearth.http.port", 0);
    settings.put("hearth.http.interface", "127.0.0.1");
    settings.put("pekko.remote.artery.canonical.port", 0);
    settings.put("hearth.management.port", 0);
    settings.put("hearth.auth.jwt-secret", SECRET);
    settings.putAll(overrides);
    Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    return new TestNode(HearthNode.start(config, Clock.systemUTC()));
  }

  /** A token that also carries the contact claims {@code name} and {@code email}. */
  public String contactToken(String subject, String name, String email, String... roles) {
    return auth.mint(subject, List.of(roles), name, email, Duration.ofHours(1), Clock.systemUTC());
  }

  public String token(String subject, String... roles) {
    return auth.mint(subject, List.of(roles), Duration.ofHours(1), Clock.systemUTC());
  }

  public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String code() {
      return body.path("code").asText(null);
    }
  }

  public Reply get(String path, String token) {
    return send(request(path, token).GET());
  }

  public Reply post(String path, String token, String json, String... headers) {
    HttpRequest.Builder b = request(path, token)
        .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b);
  }

  public Reply send(String method, String path, String token, String json) {
    HttpRequest.Builder b = request(path, token)
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    return send(b);
  }

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .timeout(Duration.ofSeconds(30));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  Reply send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      boolean json = response.headers().firstValue("Content-Type").map(t -> t.contains("json")).orElse(true);
      JsonNode body = response.body().isEmpty() || !json ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
      return new Reply(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpClient client() {
    return client;
  }

  public org.apache.pekko.actor.typed.ActorSystem<Void> system() {
    return node.system();
  }

  public int port() {
    return node.httpPort();
  }

  public int managementPort() {
    return node.managementPort();
  }

  @Override
  public void close() {
    node.close();
  }
}
