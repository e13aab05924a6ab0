package com.hearth.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases of their own on the local PostgreSQL server (127.0.0.1:5432, user postgres, trust auth;
 * override with HEARTH_TEST_PG_URL, an admin database's URL, HEARTH_TEST_PG_USER and
 * HEARTH_TEST_PG_PASSWORD). Every module's tests make theirs here. PostgreSQL tests never skip: no
 * server, no pass.
 */
public final class TestPostgres {

  public static final String ADMIN_URL =
      env("HEARTH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  public static final String USER = env("HEARTH_TEST_PG_USER", "postgres");
  public static final String PASSWORD = env("HEARTH_TEST_PG_PASSWORD", "");

  private TestPostgres() {}

  /** Creates an empty database named {@code prefix} and 16 random hex digits; returns its name. */
  public static String createDatabase(String prefix) {
    String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
      return name;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a PostgreSQL test database at " + ADMIN_URL + ": " + e.getMessage(), e);
    }
  }

  /** The JDBC URL of the database {@code name} on the same server. */
  public static String url(String name) {
    return ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
  }

  /** Drops the database {@code name}, closing whatever connections it still has. */
  public static void dropDatabase(String name) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot drop the test database " + name + ": " + e.getMessage(), e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
