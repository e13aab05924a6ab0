package com.hearth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The plans PostgreSQL really runs ({@code EXPLAIN (ANALYZE, FORMAT JSON)}), as trees of nodes. */
public final class QueryPlans {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Binds the statement's parameters, in order. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private QueryPlans() {}

  /** The root node of the plan of {@code sql} run on {@code c} with {@code binder}'s values. */
  public static JsonNode analyze(Connection c, String sql, Binder binder) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return JSON.readTree(rs.getString(1)).get(0).get("Plan");
      }
    }
  }

  /** Every node of the plan under {@code root}, root first. */
  public static List<JsonNode> nodes(JsonNode root) {
    List<JsonNode> into = new ArrayList<>();
    collect(root, into);
    return into;
  }

  private static void collect(JsonNode node, List<JsonNode> into) {
    into.add(node);
    if (node.has("Plans")) node.get("Plans").forEach(child -> collect(child, into));
  }
}
