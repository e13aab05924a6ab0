package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import com.hearth.ocr.CertificateReader;
import com.hearth.ocr.worker.testing.KnownFieldsReader;
import com.hearth.testing.TestClock;
import com.hearth.testing.TestDates;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Host onboarding over real HTTP on a real node, once per database: the host's profile, uploads and
 * their refusals, the embedded OCR worker's results as the kitchen's documents and read tables, the
 * compliance summary under the host's jurisdiction (US-NY: five required documents, valid a week
 * ahead), the admins' review queue and decisions, and withdrawal.
 *
 * <p>The OCR reader is a seam: {@link #reader()} and {@link #certificate} default to a reader that
 * returns the fields written into the file; a subclass with the real reader and real certificate
 * images runs the same contract end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnboardingApiContract {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Duration READ_IN_TIME = Duration.ofSeconds(60);
  static final String ADDRESS = "12 Harbor St, Brooklyn, NY";
  static final String[] REQUIRED = {
    "HEALTH_PERMIT",
    "BUSINESS_LICENCE",
    "FOOD_HANDLER_CERTIFICATE",
    "LIABILITY_INSURANCE",
    "FIRE_INSPECTION"
  };

  TestDatabase db;
  TestNode node;
  String host;
  String otherHost;
  String renter;
  String admin;
  LocalDate today;

  abstract TestDatabase.Backend backend();

  CertificateReader reader() {
    return new KnownFieldsReader();
  }

  /** A certificate showing {@code fields} (field name -> "value|confidence"). */
  byte[] certificate(Map<String, String> fields) {
    return KnownFieldsReader.certificate(UUID.randomUUID().toString(), fields);
  }

  @BeforeAll
  void start() {
    db = TestDatabase.create(backend());
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.ocr.poll-interval",
                "100ms",
                "hearth.ocr.delivery-interval",
                "200ms",
                "hearth.ocr.retry-backoff",
                "100ms",
                "hearth.ocr.max-attempts",
                2),
            TestClock.runningFromNow(),
            reader());
    today = TestDates.today(node.clock(), NEW_YORK);
    host = node.token("host-ny", "host");
    otherHost = node.token("host-other", "host");
    renter = node.token("renter-1", "renter");
    admin = node.token("admin-1", "admin");
    Reply saved = node.send("PUT", "/v1/hosts/me", host, profileJson("US", "NY"));
    assertThat(saved.status()).as(saved.body().toString()).isEqualTo(200);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    db.close();
  }

  static String profileJson(String country, String region) {
    return "{\"legal_name\":\"Harbor Kitchens Holding LLC\",\"business_name\":\"Harbor Kitchens LLC\","
        + "\"contact_email\":\"ops@harbor.example\",\"address\":\""
        + ADDRESS
        + "\",\"city\":\"New York\","
        + (region == null ? "" : "\"region\":\"" + region + "\",")
        + "\"country\":\""
        + country
        + "\"}";
  }

  String kitchen(String token) {
    Reply created =
        node.post(
            "/v1/kitchens",
            token,
            "{\"name\":\"Harbor\",\"address\":\""
                + ADDRESS
                + "\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4500}");
    assertThat(created.status()).isEqualTo(201);
    return created.body().get("kitchen_id").asText();
  }

  /** Fields of a good certificate of {@code type} for the NY host, valid for a year. */
  Map<String, String> good(String type) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("DOCUMENT_TYPE", type + "|0.95");
    f.put("HOLDER_NAME", "HARBOR KITCHENS, LLC|0.93");
    f.put("EXPIRY_DATE", today.plusYears(1) + "|0.96");
    f.put("ADDRESS", "12 Harbor Street, Brooklyn, NY 11201|0.9");
    return f;
  }

  Reply upload(String token, String kitchenId, String type, byte[] file) {
    return upload(
        token, kitchenId, Map.of("type", type.getBytes(StandardCharsets.UTF_8)), "file", file);
  }

  /** A multipart/form-data POST with text parts and one file part. */
  Reply upload(
      String token, String kitchenId, Map<String, byte[]> parts, String fileName, byte[] file) {
    String boundary = "hearth-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    parts.forEach(
        (name, value) -> {
          body.writeBytes(
              ("--"
                      + boundary
                      + "\r\nContent-Disposition: form-data; name=\""
                      + name
                      + "\"\r\n\r\n")
                  .getBytes(StandardCharsets.UTF_8));
          body.writeBytes(value);
          body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
    if (file != null) {
      body.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + fileName
                  + "\"; filename=\"scan.pdf\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(file);
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return node.send(
        node.request("/v1/kitchens/" + kitchenId + "/documents", token)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  /**
   * Sends only the head of an upload that announces {@code length} bytes and returns the raw
   * answer.
   */
  String rawUploadHead(String kitchenId, long length) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.port())) {
      socket.setSoTimeout(10_000);
      String head =
          "POST /v1/kitchens/"
              + kitchenId
              + "/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Authorization: Bearer "
              + host
              + "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
              + "Content-Length: "
              + length
              + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < deadline
          && !answer.toString(StandardCharsets.UTF_8).contains("}")) {
        int n = in.read(buffer);
        if (n < 0) break;
        answer.write(buffer, 0, n);
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  JsonNode documentWhenDone(String kitchenId, String documentId) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(READ_IN_TIME)
        .until(
            () -> {
              for (JsonNode d :
                  node.get("/v1/kitchens/" + kitchenId + "/documents", host)
                      .body()
                      .path("documents"))
                if (d.get("document_id").asText().equals(documentId)
                    && !d.get("status").asText().equals("PENDING")) {
                  found[0] = d;
                  return true;
                }
              return false;
            });
    return found[0];
  }

  JsonNode compliance(String kitchenId) {
    Reply r = node.get("/v1/kitchens/" + kitchenId + "/compliance", host);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.body();
  }

  // ---------------------------------------------------------------- profile

  @Test
  void aHostWritesAndReadsItsProfileAndItReachesTheReadTable() throws Exception {
    String token = node.token("host-profile", "host");
    assertThat(node.get("/v1/hosts/me", token).status()).isEqualTo(404);
    Reply saved = node.send("PUT", "/v1/hosts/me", token, profileJson("DE", null));
    assertThat(saved.status()).isEqualTo(200);
    assertThat(saved.body().get("jurisdiction").asText()).isEqualTo("DE");
    Reply read = node.get("/v1/hosts/me", token);
    assertThat(read.body().get("business_name").asText()).isEqualTo("Harbor Kitchens LLC");
    assertThat(read.body().get("host_id").asText()).isEqualTo("host-profile");
    await()
        .atMost(READ_IN_TIME)
        .until(
            () ->
                "Harbor Kitchens Holding LLC"
                    .equals(
                        text(
                            "SELECT legal_name FROM host_profiles WHERE host_id = ?",
                            "host-profile")));
  }

  @Test
  void badProfilesAreRefusedWithTheFieldsNamed() {
    Reply missing =
        node.send("PUT", "/v1/hosts/me", host, "{\"legal_name\":\"X\",\"country\":\"ZZ\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().toString())
        .contains("business_name", "contact_email", "address", "country");
    Reply unknown =
        node.send("PUT", "/v1/hosts/me", host, "{\"legal_name\":\"X\",\"owner\":\"me\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().toString()).contains("owner");
    assertThat(node.send("PUT", "/v1/hosts/me", renter, profileJson("US", null)).status())
        .isEqualTo(403);
    assertThat(node.get("/v1/hosts/me", host).body().get("country").asText()).isEqualTo("US");
  }

  // ---------------------------------------------------------------- uploads

  @Test
  void uploadsThatAreNotCertificatesAreRefused() throws Exception {
    String kitchenId = kitchen(host);
    byte[] text = "just some text".getBytes(StandardCharsets.UTF_8);
    Reply notAnImage = upload(host, kitchenId, "HEALTH_PERMIT", text);
    assertThat(notAnImage.status()).isEqualTo(415);
    assertThat(notAnImage.header("Content-Type")).isEqualTo("application/problem+json");
    Reply json = node.post("/v1/kitchens/" + kitchenId + "/documents", host, "{}");
    assertThat(json.status()).isEqualTo(415);
    // 11 MB announced, none sent: the answer comes before the body is read.
    String announced = rawUploadHead(kitchenId, 11L * 1024 * 1024);
    assertThat(announced).startsWith("HTTP/1.1 413").contains("PAYLOAD_TOO_LARGE");
    StringBuilder pdf =
        new StringBuilder("%PDF-1.4\n1 0 obj << /Type /Pages /Count 21 /Kids [] >> endobj\n");
    for (int i = 0; i < 21; i++)
      pdf.append(i + 2).append(" 0 obj << /Type /Page /Parent 1 0 R >> endobj\n");
    Reply manyPages =
        upload(
            host, kitchenId, "HEALTH_PERMIT", pdf.toString().getBytes(StandardCharsets.ISO_8859_1));
    assertThat(manyPages.status()).isEqualTo(422);
    assertThat(manyPages.code()).isEqualTo("TOO_MANY_PAGES");
    Reply badType = upload(host, kitchenId, "PASSPORT", certificate(Map.of()));
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.body().toString()).contains("HEALTH_PERMIT");
    Reply noFile =
        upload(
            host,
            kitchenId,
            Map.of("type", "HEALTH_PERMIT".getBytes(StandardCharsets.UTF_8)),
            "file",
            null);
    assertThat(noFile.status()).isEqualTo(400);
    Reply strangePart =
        upload(
            host,
            kitchenId,
            Map.of("type", "HEALTH_PERMIT".getBytes(StandardCharsets.UTF_8)),
            "photo",
            certificate(Map.of()));
    assertThat(strangePart.status()).isEqualTo(400);
    // Another host does not even see a draft: 404, as for any object one may not see.
    assertThat(upload(otherHost, kitchenId, "HEALTH_PERMIT", certificate(Map.of())).status())
        .isEqualTo(404);
    assertThat(upload(renter, kitchenId, "HEALTH_PERMIT", certificate(Map.of())).status())
        .isEqualTo(403);
    assertThat(upload(admin, kitchenId, "HEALTH_PERMIT", certificate(Map.of())).status())
        .isEqualTo(403);
    assertThat(
            upload(host, UUID.randomUUID().toString(), "HEALTH_PERMIT", certificate(Map.of()))
                .status())
        .isEqualTo(404);
    assertThat(node.get("/v1/kitchens/" + kitchenId + "/documents", host).body().path("documents"))
        .isEmpty();
  }

  @Test
  void onlyTheHostAndAdminsSeeDocumentsAndCompliance() {
    String kitchenId = kitchen(host);
    assertThat(
            upload(host, kitchenId, "HEALTH_PERMIT", certificate(good("HEALTH_PERMIT"))).status())
        .isEqualTo(201);
    assertThat(node.get("/v1/kitchens/" + kitchenId + "/documents", admin).body().path("documents"))
        .hasSize(1);
    // A draft is invisible to other hosts and renters altogether.
    assertThat(node.get("/v1/kitchens/" + kitchenId + "/documents", otherHost).status())
        .isEqualTo(404);
    assertThat(node.get("/v1/kitchens/" + kitchenId + "/compliance", otherHost).status())
        .isEqualTo(404);
    assertThat(node.get("/v1/kitchens/" + kitchenId + "/documents", renter).status())
        .isEqualTo(404);
    assertThat(node.get("/v1/kitchens/" + kitchenId + "/compliance", admin).status())
        .isEqualTo(200);
  }

  // ---------------------------------------------------------------- reading and compliance

  @Test
  void fiveGoodCertificatesAreReadAndMakeTheKitchenCompliant() throws Exception {
    String kitchenId = kitchen(host);
    JsonNode before = compliance(kitchenId);
    assertThat(before.get("status").asText()).isEqualTo("NON_COMPLIANT");
    assertThat(before.get("jurisdiction").asText()).isEqualTo("US-NY");
    Reply early = node.post("/v1/kitchens/" + kitchenId + "/publish", host, null);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.code()).isEqualTo("KITCHEN_NOT_COMPLIANT");
    String last = null;
    for (String type : REQUIRED) {
      Reply r = upload(host, kitchenId, type, certificate(good(type)));
      assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
      assertThat(r.body().get("status").asText()).isEqualTo("PENDING");
      assertThat(r.header("Location"))
          .endsWith("/documents/" + r.body().get("document_id").asText());
      last = r.body().get("document_id").asText();
    }
    JsonNode read = documentWhenDone(kitchenId, last);
    assertThat(read.get("status").asText()).isEqualTo("READ");
    assertThat(read.at("/fields/expiry_date/value").asText())
        .isEqualTo(today.plusYears(1).toString());
    await()
        .atMost(READ_IN_TIME)
        .until(() -> compliance(kitchenId).get("status").asText().equals("COMPLIANT"));
    Reply published = node.post("/v1/kitchens/" + kitchenId + "/publish", host, null);
    assertThat(published.status()).as(published.body().toString()).isEqualTo(200);
    JsonNode summary = compliance(kitchenId);
    assertThat(summary.get("next_expiry").asText()).isEqualTo(today.plusYears(1).toString());
    assertThat(summary.get("checks")).allMatch(c -> c.get("result").asText().equals("PASS"));
    JsonNode nameCheck = null;
    for (JsonNode c : summary.get("checks"))
      if (c.get("check").asText().equals("HOLDER_NAME")) nameCheck = c;
    assertThat(nameCheck.at("/evidence/0/field").asText()).isEqualTo("holder_name");
    assertThat(nameCheck.at("/evidence/0/value").asText()).isEqualTo("HARBOR KITCHENS, LLC");
    String lastId = last;
    await()
        .atMost(READ_IN_TIME)
        .until(
            () ->
                "READ"
                    .equals(
                        text(
                            "SELECT status FROM kitchen_documents WHERE document_id = ?", lastId)));
    assertThat(text("SELECT state FROM document_jobs WHERE document_id = ?", lastId))
        .isEqualTo("DELIVERED");
  }

  @Test
  void theSameFileTwiceIsOneDocumentStoredOnce() throws Exception {
    String kitchenId = kitchen(host);
    byte[] file = certificate(good("HEALTH_PERMIT"));
    Reply first = upload(host, kitchenId, "HEALTH_PERMIT", file);
    Reply again = upload(host, kitchenId, "HEALTH_PERMIT", file);
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body().get("document_id")).isEqualTo(first.body().get("document_id"));
    String otherKitchen = kitchen(host);
    assertThat(upload(host, otherKitchen, "HEALTH_PERMIT", file).status()).isEqualTo(201);
    assertThat(
            text(
                "SELECT COUNT(*) FROM document_contents WHERE content_hash = ?",
                first.body().get("sha256").asText()))
        .isEqualTo("1");
  }

  @Test
  void expiredAndWrongBusinessCertificatesMakeTheKitchenNonCompliant() {
    String kitchenId = kitchen(host);
    Map<String, String> expired = good("HEALTH_PERMIT");
    expired.put("EXPIRY_DATE", today.minusDays(3) + "|0.97");
    Map<String, String> wrongBusiness = good("BUSINESS_LICENCE");
    wrongBusiness.put("HOLDER_NAME", "Golden Dragon Noodle House|0.95");
    String a =
        upload(host, kitchenId, "HEALTH_PERMIT", certificate(expired))
            .body()
            .get("document_id")
            .asText();
    String b =
        upload(host, kitchenId, "BUSINESS_LICENCE", certificate(wrongBusiness))
            .body()
            .get("document_id")
            .asText();
    documentWhenDone(kitchenId, a);
    documentWhenDone(kitchenId, b);
    await()
        .atMost(READ_IN_TIME)
        .until(
            () -> {
              JsonNode s = compliance(kitchenId);
              return s.get("status").asText().equals("NON_COMPLIANT")
                  && result(s, "EXPIRY", "HEALTH_PERMIT").equals("FAIL")
                  && result(s, "HOLDER_NAME", "BUSINESS_LICENCE").equals("FAIL");
            });
  }

  @Test
  void lowConfidenceGoesToTheReviewQueueAndAnAdminApprovesWithACorrection() throws Exception {
    String kitchenId = kitchen(host);
    Map<String, String> blurry = good("LIABILITY_INSURANCE");
    blurry.put("EXPIRY_DATE", today.plusYears(2) + "|0.41");
    String id =
        upload(host, kitchenId, "LIABILITY_INSURANCE", certificate(blurry))
            .body()
            .get("document_id")
            .asText();
    documentWhenDone(kitchenId, id);
    await()
        .atMost(READ_IN_TIME)
        .until(
            () -> result(compliance(kitchenId), "EXPIRY", "LIABILITY_INSURANCE").equals("REVIEW"));
    assertThat(compliance(kitchenId).get("status").asText())
        .isIn("PENDING_REVIEW", "NON_COMPLIANT");
    await().atMost(READ_IN_TIME).until(() -> queueHas(id));
    assertThat(node.get("/v1/admin/compliance/reviews", host).status()).isEqualTo(403);
    assertThat(node.get("/v1/admin/compliance/reviews", renter).status()).isEqualTo(403);

    String approve = "/v1/admin/compliance/documents/" + id + "/approve";
    assertThat(
            node.post(
                    approve, admin, "{\"fields\":{\"expiry_date\":\"" + today.plusYears(2) + "\"}}")
                .status())
        .isEqualTo(400);
    assertThat(
            node.post(
                    approve,
                    admin,
                    "{\"reason\":\"x\",\"fields\":{\"expiry_date\":\"31/12/2030\"}}")
                .status())
        .isEqualTo(400);
    assertThat(
            node.post(approve, admin, "{\"reason\":\"x\",\"fields\":{\"colour\":\"red\"}}")
                .status())
        .isEqualTo(400);
    assertThat(node.post(approve, host, "{\"reason\":\"mine\"}").status()).isEqualTo(403);
    Reply approved =
        node.post(
            approve,
            admin,
            "{\"reason\":\"date checked on the insurer's site\",\"fields\":{\"expiry_date\":\""
                + today.plusYears(2).minusDays(1)
                + "\"}}");
    assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
    assertThat(approved.body().get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.body().at("/review/admin_id").asText()).isEqualTo("admin-1");
    assertThat(approved.body().at("/fields/expiry_date/confidence").asDouble()).isEqualTo(1.0);
    assertThat(result(compliance(kitchenId), "EXPIRY", "LIABILITY_INSURANCE")).isEqualTo("PASS");
    await()
        .atMost(READ_IN_TIME)
        .until(
            () ->
                "admin-1"
                    .equals(
                        text(
                            "SELECT reviewed_by FROM kitchen_documents WHERE document_id = ?",
                            id)));
    await().atMost(READ_IN_TIME).until(() -> !queueHas(id));
    assertThat(
            node.post("/v1/admin/compliance/documents/doc_nope/reject", admin, "{\"reason\":\"x\"}")
                .status())
        .isEqualTo(404);
  }

  @Test
  void unreadableDocumentsSayWhyAndWaitForAnAdmin() {
    String kitchenId = kitchen(host);
    String blank =
        upload(
                host,
                kitchenId,
                "FIRE_INSPECTION",
                certificate(Map.of("UNREADABLE", "no text found")))
            .body()
            .get("document_id")
            .asText();
    String crashing =
        upload(host, kitchenId, "HEALTH_PERMIT", certificate(Map.of("FAIL", "engine crashed")))
            .body()
            .get("document_id")
            .asText();
    JsonNode first = documentWhenDone(kitchenId, blank);
    assertThat(first.get("status").asText()).isEqualTo("UNREADABLE");
    assertThat(first.get("unreadable_reason").asText()).isEqualTo("no text found");
    JsonNode second = documentWhenDone(kitchenId, crashing);
    assertThat(second.get("status").asText()).isEqualTo("UNREADABLE");
    assertThat(second.get("unreadable_reason").asText()).startsWith("failed 2 times");
    assertThat(second.get("attempts").asInt()).isEqualTo(2);
    await().atMost(READ_IN_TIME).until(() -> queueHas(blank) && queueHas(crashing));
    Reply rejected =
        node.post(
            "/v1/admin/compliance/documents/" + blank + "/reject",
            admin,
            "{\"reason\":\"blank page\"}");
    assertThat(rejected.body().get("status").asText()).isEqualTo("REJECTED");
    assertThat(result(compliance(kitchenId), "DOCUMENT_ON_FILE", "FIRE_INSPECTION"))
        .isEqualTo("FAIL");
  }

  @Test
  void theHostAndAdminsDownloadTheFileAsUploadedAndNobodyElse() throws Exception {
    String kitchenId = kitchen(host);
    byte[] file = certificate(good("FIRE_INSPECTION"));
    String id = upload(host, kitchenId, "FIRE_INSPECTION", file).body().get("document_id").asText();
    String path = "/v1/kitchens/" + kitchenId + "/documents/" + id + "/file";
    HttpClient client = HttpClient.newHttpClient();
    for (String caller : new String[] {host, admin}) {
      HttpResponse<byte[]> got =
          client.send(node.request(path, caller).GET().build(), BodyHandlers.ofByteArray());
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(file);
      assertThat(got.headers().firstValue("Content-Type")).hasValue("image/png");
      assertThat(got.headers().firstValue("Content-Disposition"))
          .hasValue("attachment; filename=\"" + id + ".png\"");
      assertThat(got.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(got.headers().firstValue("Cache-Control")).hasValue("private, no-store");
    }
    // A draft kitchen is invisible to others (404); AccessMatrixTest checks the 403s on a
    // published one.
    assertThat(node.get(path, renter).status()).isEqualTo(404);
    assertThat(node.get(path, otherHost).status()).isEqualTo(404);
    assertThat(node.get(path, null).status()).isEqualTo(401);
    assertThat(node.get(path.replace(id, id + "x"), host).status()).isEqualTo(404);
    assertThat(node.send("DELETE", path.replace("/file", ""), host, null).status()).isEqualTo(200);
    assertThat(node.get(path, host).status()).isEqualTo(404);
  }

  @Test
  void aHostWithdrawsADocument() {
    String kitchenId = kitchen(host);
    String id =
        upload(host, kitchenId, "HEALTH_PERMIT", certificate(good("HEALTH_PERMIT")))
            .body()
            .get("document_id")
            .asText();
    assertThat(
            node.send("DELETE", "/v1/kitchens/" + kitchenId + "/documents/" + id, otherHost, null)
                .status())
        .isEqualTo(404);
    assertThat(
            node.send("DELETE", "/v1/kitchens/" + kitchenId + "/documents/doc_x", host, null)
                .status())
        .isEqualTo(404);
    Reply withdrawn =
        node.send("DELETE", "/v1/kitchens/" + kitchenId + "/documents/" + id, host, null);
    assertThat(withdrawn.status()).isEqualTo(200);
    assertThat(withdrawn.body().get("status").asText()).isEqualTo("WITHDRAWN");
    assertThat(node.get("/v1/kitchens/" + kitchenId + "/documents", host).body().path("documents"))
        .isEmpty();
    assertThat(
            node.send("DELETE", "/v1/kitchens/" + kitchenId + "/documents/" + id, host, null)
                .status())
        .isEqualTo(404);
    await()
        .atMost(READ_IN_TIME)
        .until(
            () ->
                "WITHDRAWN"
                    .equals(
                        text("SELECT status FROM kitchen_documents WHERE document_id = ?", id)));
  }

  @Test
  void aHostWithoutRulesIsCompliantWithNoDocuments() {
    String token = node.token("host-norules", "host");
    String kitchenId = kitchen(token);
    Reply r = node.get("/v1/kitchens/" + kitchenId + "/compliance", token);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("status").asText()).isEqualTo("COMPLIANT");
    assertThat(r.body().get("rules_apply").asBoolean()).isFalse();
    assertThat(r.body().get("checks")).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  static String result(JsonNode summary, String check, String type) {
    for (JsonNode c : summary.get("checks"))
      if (c.get("check").asText().equals(check) && c.get("document_type").asText().equals(type))
        return c.get("result").asText();
    return "ABSENT";
  }

  boolean queueHas(String documentId) {
    for (JsonNode item : node.get("/v1/admin/compliance/reviews", admin).body().path("items"))
      if (item.get("document_id").asText().equals(documentId)) return true;
    return false;
  }

  String text(String sql, String arg) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
