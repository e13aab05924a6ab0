package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.http.TestNode.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The read models from HTTP to rows on a real PostgreSQL database. */
class PostgresReadModelApiTest extends ReadModelApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.POSTGRES;
  }

  /**
   * A rebuild held up while it empties the tables (the test holds a lock on the first one) keeps a
   * second one out with 409; once the lock goes, the first finishes with 202.
   */
  @Test
  void aSecondRebuildWhileOneRunsIsRefusedWith409() throws Exception {
    Map<String, String> before = checksum();
    CompletableFuture<HttpResponse<String>> first;
    try (Connection lock = db.connect();
        Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      s.execute(
          "LOCK TABLE "
              + com.hearth.projections.ReadModels.TABLES.get(0)
              + " IN ACCESS EXCLUSIVE MODE");
      first =
          node.client()
              .sendAsync(
                  node.request("/v1/admin/read-models/rebuild", operator)
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      await()
          .atMost(CATCH_UP)
          .until(
              () ->
                  count(
                          "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                              + " AND query LIKE 'DELETE FROM "
                              + com.hearth.projections.ReadModels.TABLES.get(0)
                              + "%'")
                      == 1);

      Reply second = node.post("/v1/admin/read-models/rebuild", operator, null);

      assertThat(second.status()).as(second.body().toString()).isEqualTo(409);
      assertThat(second.code()).isEqualTo("INVALID_STATE");
      assertThat(first).as("the first rebuild is still emptying the tables").isNotDone();
      lock.rollback();
    }
    assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    awaitCaughtUp();
    await().atMost(CATCH_UP).untilAsserted(() -> assertThat(checksum()).isEqualTo(before));
  }
}
