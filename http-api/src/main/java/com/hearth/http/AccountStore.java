package com.hearth.http;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The built-in accounts and their refresh tokens in the node's database (migration V11). Blocking:
 * callers run it on a JDBC executor. Refresh tokens are stored as their SHA-256 only.
 */
final class AccountStore {

  /** An account as stored; {@code passwordHash} never leaves the node. */
  record Account(
      String id, String email, String name, String role, String passwordHash, Instant created) {}

  /** A refresh token's row, with the account it belongs to. */
  record RefreshToken(
      String tokenHash,
      String familyId,
      Account account,
      Instant expires,
      boolean rotated,
      boolean revoked) {}

  /** The e-mail address is taken (its lower-case form is unique). */
  static final class EmailTaken extends Exception {
    EmailTaken() {
      super("email taken", null, false, false);
    }
  }

  private final DataSource pool;

  AccountStore(DataSource pool) {
    this.pool = pool;
  }

  /** Adds {@code account}, whose e-mail's lower-case form is {@code emailKey}. */
  void create(Account account, String emailKey) throws EmailTaken {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO accounts (account_id, email, email_key, name, role, password_hash,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, account.id());
      s.setString(2, account.email());
      s.setString(3, emailKey);
      s.setString(4, account.name());
      s.setString(5, account.role());
      s.setString(6, account.passwordHash());
      s.setObject(7, time(account.created()));
      s.executeUpdate();
    } catch (SQLException e) {
      // 23505: unique_violation, on PostgreSQL and H2 alike (two sign-ups of one address at once).
      if ("23505".equals(e.getSQLState())) throw new EmailTaken();
      throw new IllegalStateException("cannot store an account", e);
    }
  }

  /** Whether an account has this e-mail key. */
  boolean emailTaken(String emailKey) {
    return byEmail(emailKey).isPresent();
  }

  Optional<Account> byEmail(String emailKey) {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT account_id, email, name, role, password_hash, created_at FROM accounts"
                    + " WHERE email_key = ?")) {
      s.setString(1, emailKey);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(account(r, 1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read an account", e);
    }
  }

  /** Stores a new refresh token (its hash) of {@code familyId}. */
  void addRefreshToken(
      String tokenHash, String familyId, String accountId, Instant issued, Instant expires) {
    try (Connection c = pool.getConnection()) {
      // Expired tokens of the account go as it gets a new one: the table stays as small as the
      // live sessions.
      try (PreparedStatement s =
          c.prepareStatement(
              "DELETE FROM refresh_tokens WHERE account_id = ? AND expires_at < ?")) {
        s.setString(1, accountId);
        s.setObject(2, time(issued));
        s.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO refresh_tokens (token_hash, family_id, account_id, issued_at,"
                  + " expires_at) VALUES (?, ?, ?, ?, ?)")) {
        s.setString(1, tokenHash);
        s.setString(2, familyId);
        s.setString(3, accountId);
        s.setObject(4, time(issued));
        s.setObject(5, time(expires));
        s.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store a refresh token", e);
    }
  }

  Optional<RefreshToken> refreshToken(String tokenHash) {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT a.account_id, a.email, a.name, a.role, a.password_hash, a.created_at,"
                    + " t.family_id, t.expires_at, t.rotated_at, t.revoked_at"
                    + " FROM refresh_tokens t JOIN accounts a ON a.account_id = t.account_id"
                    + " WHERE t.token_hash = ?")) {
      s.setString(1, tokenHash);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) return Optional.empty();
        return Optional.of(
            new RefreshToken(
                tokenHash,
                r.getString(7),
                account(r, 1),
                r.getObject(8, OffsetDateTime.class).toInstant(),
                r.getObject(9) != null,
                r.getObject(10) != null));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read a refresh token", e);
    }
  }

  /**
   * Marks a token rotated if it is still current; false when it was rotated or revoked meanwhile (a
   * second use of one token, which the caller treats as reuse).
   */
  boolean rotate(String tokenHash, Instant now) {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ?"
                    + " AND rotated_at IS NULL AND revoked_at IS NULL")) {
      s.setObject(1, time(now));
      s.setString(2, tokenHash);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot rotate a refresh token", e);
    }
  }

  /** Revokes every token of a family: sign-out, or a rotated token used again. */
  void revokeFamily(String familyId, Instant now) {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ?"
                    + " AND revoked_at IS NULL")) {
      s.setObject(1, time(now));
      s.setString(2, familyId);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot revoke refresh tokens", e);
    }
  }

  private static Account account(ResultSet r, int first) throws SQLException {
    return new Account(
        r.getString(first),
        r.getString(first + 1),
        r.getString(first + 2),
        r.getString(first + 3),
        r.getString(first + 4),
        r.getObject(first + 5, OffsetDateTime.class).toInstant());
  }

  private static OffsetDateTime time(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
