package com.hearth.loadtest.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The baselines' kitchen pool in one statement: the rows their API's create and publish would leave
 * ({@code BaselineStore#createKitchen} then {@code #publish}: a UUID, the bench host, a name,
 * {@code PUBLISHED}), inserted from arrays in one {@code INSERT}. Creating 10,000 kitchens through
 * the baseline's HTTP API took as long as the phases themselves and measured nothing; the baseline
 * has no other state per kitchen.
 */
final class BaselineKitchens {

  /** The subject of {@link Client}'s host token: the kitchens' owner. */
  static final String HOST = "bench-host";

  private BaselineKitchens() {}

  /** Inserts {@code count} published kitchens; their ids, in creation order. */
  static List<String> insertPublished(String jdbcUrl, int count) throws SQLException {
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) ids.add(UUID.randomUUID().toString());
    try (Connection c = Db.connect(jdbcUrl);
        PreparedStatement p =
            c.prepareStatement(
                // created_at a microsecond apart keeps the list order (created_at, kitchen_id)
                // the creation order, as kitchens created one by one would have it.
                "INSERT INTO kitchens (kitchen_id, host_id, name, city, status, created_at)"
                    + " SELECT k.id, ?, 'Bench kitchen ' || (k.n - 1), 'Benchville', 'PUBLISHED',"
                    + " now() + (k.n * interval '1 microsecond')"
                    + " FROM unnest(?::varchar[]) WITH ORDINALITY AS k(id, n)")) {
      p.setString(1, HOST);
      p.setArray(2, c.createArrayOf("varchar", ids.toArray()));
      int inserted = p.executeUpdate();
      if (inserted != count)
        throw new IllegalStateException("inserted " + inserted + " kitchens of " + count);
      try (var s = c.createStatement()) {
        s.execute("ANALYZE kitchens");
      }
    }
    return ids;
  }
}
