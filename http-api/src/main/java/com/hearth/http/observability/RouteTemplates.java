package com.hearth.http.observability;

import java.util.List;

/**
 * The API's path templates (those of docs/openapi.yaml), so that metrics and logs name a route by
 * its template ({@code /v1/bookings/{id}/cancel}) and never by the ids in it. A path that matches
 * none is {@code unmatched}: its value space stays bounded whatever clients send.
 */
public final class RouteTemplates {

  private RouteTemplates() {}

  /**
   * Every template served; {@code OpenApiContractTest}-style checks keep it equal to the contract's
   * paths.
   */
  public static final List<String> ALL =
      List.of(
          "/v1/accounts",
          "/v1/sessions",
          "/v1/sessions/refresh",
          "/v1/sessions/sign-out",
          "/v1/kitchens",
          "/v1/kitchens/{id}",
          "/v1/kitchens/{id}/publish",
          "/v1/kitchens/{id}/pause",
          "/v1/kitchens/{id}/availability",
          "/v1/kitchens/{id}/bookings",
          "/v1/kitchens/{id}/compliance",
          "/v1/kitchens/{id}/documents",
          "/v1/kitchens/{id}/documents/{document_id}",
          "/v1/kitchens/{id}/documents/{document_id}/file",
          "/v1/kitchens/{id}/lapse-bookings",
          "/v1/hosts/me",
          "/v1/hosts/me/compliance-notices",
          "/v1/hosts/me/kitchens",
          "/v1/hosts/me/payouts",
          "/v1/bookings/{id}",
          "/v1/bookings/{id}/cancel",
          "/v1/bookings/{id}/confirm",
          "/v1/bookings/{id}/payment",
          "/v1/bookings/{id}/payment/simulate",
          "/v1/bookings/{id}/refunds",
          "/v1/me/bookings",
          "/v1/admin/accounts",
          "/v1/admin/read-models/rebuild",
          "/v1/admin/cluster",
          "/v1/admin/projections/pause",
          "/v1/admin/projections/resume",
          "/v1/admin/payouts",
          "/v1/admin/reconciliation",
          "/v1/admin/compliance/reviews",
          "/v1/admin/compliance/lapses",
          "/v1/admin/stats",
          "/v1/admin/compliance/documents/{document_id}/approve",
          "/v1/admin/compliance/documents/{document_id}/reject",
          "/v1/webhooks/stripe",
          "/health",
          "/health/live",
          "/health/ready",
          "/health/projections");

  /**
   * The web console's static routes (the page and its files), which are not part of the API's
   * contract; metrics label them by these templates too.
   */
  public static final List<String> CONSOLE = List.of("/", "/console/{file}");

  public static final String UNMATCHED = "unmatched";

  private static final List<String> EVERY =
      java.util.stream.Stream.concat(ALL.stream(), CONSOLE.stream()).toList();

  private static final List<String[]> SPLIT = EVERY.stream().map(RouteTemplates::segments).toList();

  /** The template {@code path} matches (static segments first), or {@link #UNMATCHED}. */
  public static String of(String path) {
    String[] actual = segments(path);
    String best = UNMATCHED;
    int bestStatic = -1;
    for (int i = 0; i < SPLIT.size(); i++) {
      String[] template = SPLIT.get(i);
      if (template.length != actual.length) continue;
      int statics = 0;
      boolean matches = true;
      for (int s = 0; s < template.length && matches; s++) {
        if (template[s].startsWith("{")) continue;
        if (template[s].equals(actual[s])) statics++;
        else matches = false;
      }
      if (matches && statics > bestStatic) {
        best = EVERY.get(i);
        bestStatic = statics;
      }
    }
    return best;
  }

  /** The path's non-empty segments (repeated, leading and trailing slashes count for nothing). */
  private static String[] segments(String path) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>(6);
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if (i > start) out.add(path.substring(start, i));
        start = i + 1;
      }
    }
    return out.toArray(new String[0]);
  }
}
