package com.hearth.loadtest.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Connections for the measuring side, tried again for a while when a shared server is out of
 * connection slots.
 */
final class Db {

  private Db() {}

  static Connection connect(String jdbcUrl) throws SQLException {
    SQLException last = null;
    for (int attempt = 0; attempt < 40; attempt++) {
      try {
        return DriverManager.getConnection(
            jdbcUrl, System.getProperty("bench.pg.user", "postgres"), null);
      } catch (SQLException e) {
        if (!"53300".equals(e.getSQLState())) throw e; // too_many_connections: wait for a slot
        last = e;
        try {
          Thread.sleep(250);
        } catch (InterruptedException i) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }
}
