package com.hearth.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;

/**
 * How this node becomes a cluster member, from {@code hearth.cluster}: alone (the one-node
 * default), Cluster Bootstrap over a static list of contact points or over the Kubernetes API, or
 * (deprecated) explicit seed nodes.
 *
 * <p>With Cluster Bootstrap a node asks every contact point whether it belongs to a cluster and
 * joins the first it hears of; only when none does, and {@code expected-size} contact points have
 * answered and stayed the same for the stable margin, does the one with the lowest address form a
 * new cluster, which the others then join. So a cold start of N nodes forms one cluster, and a node
 * that restarts (the first one included) joins the running cluster instead of forming a second one.
 */
record ClusterFormation(
    Mode mode, List<String> contactPoints, int expectedSize, List<String> seedNodes) {

  enum Mode {
    ALONE,
    SEED_NODES,
    CONFIG,
    KUBERNETES_API
  }

  static ClusterFormation from(Config config) {
    Config c = config.getConfig("hearth.cluster");
    List<String> contactPoints = commaList(c, "contact-points");
    List<String> seeds = commaList(c, "seed-nodes");
    String discovery = c.getString("discovery").trim().toLowerCase(Locale.ROOT);
    Mode mode =
        switch (discovery) {
          case "" ->
              !contactPoints.isEmpty()
                  ? Mode.CONFIG
                  : !seeds.isEmpty() ? Mode.SEED_NODES : Mode.ALONE;
          case "config" -> Mode.CONFIG;
          case "kubernetes-api" -> Mode.KUBERNETES_API;
          case "none", "alone" -> Mode.ALONE;
          default ->
              throw new IllegalArgumentException(
                  "hearth.cluster.discovery (HEARTH_DISCOVERY) must be config or kubernetes-api, not '"
                      + discovery
                      + "'");
        };
    if (mode == Mode.CONFIG && contactPoints.isEmpty())
      throw new IllegalArgumentException(
          "discovery 'config' needs contact points: set HEARTH_CONTACT_POINTS=host:port,...");
    for (String point : contactPoints) {
      if (!point.matches("[^:\\s]+:\\d{1,5}"))
        throw new IllegalArgumentException(
            "a contact point is host:port of a management endpoint, not '" + point + "'");
    }
    int configured = c.getInt("expected-size");
    int expected = configured > 0 ? configured : mode == Mode.CONFIG ? contactPoints.size() : 1;
    if (mode == Mode.KUBERNETES_API && configured <= 0)
      throw new IllegalArgumentException(
          "discovery 'kubernetes-api' needs the cluster's size: set HEARTH_CLUSTER_SIZE");
    return new ClusterFormation(mode, contactPoints, expected, seeds);
  }

  boolean bootstraps() {
    return mode == Mode.CONFIG || mode == Mode.KUBERNETES_API;
  }

  /** The smallest number of reachable Up members that still makes this node useful: a majority. */
  int quorum() {
    return expectedSize / 2 + 1;
  }

  /**
   * Settings derived for pekko-management and pekko-discovery: the address other nodes probe this
   * one at (its cluster host and management port), and for bootstrap the discovery method, the
   * static contact points and how many of them must answer before a cluster is formed.
   */
  Config pekkoOverrides(Config config, int managementPort) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "pekko.management.http.hostname",
        config.getString("pekko.remote.artery.canonical.hostname"));
    m.put("pekko.management.http.port", managementPort);
    m.put("pekko.management.http.bind-hostname", config.getString("hearth.management.interface"));
    m.put("pekko.management.http.bind-port", managementPort);
    m.put(
        "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr",
        expectedSize);
    if (mode == Mode.CONFIG) {
      List<Map<String, Object>> endpoints = new ArrayList<>();
      for (String point : contactPoints) {
        int colon = point.lastIndexOf(':');
        endpoints.add(
            Map.of(
                "host",
                point.substring(0, colon),
                "port",
                Integer.parseInt(point.substring(colon + 1))));
      }
      m.put("pekko.discovery.config.services.hearth.endpoints", endpoints);
      m.put(
          "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method", "config");
    } else if (mode == Mode.KUBERNETES_API) {
      m.put(
          "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method",
          "kubernetes-api");
      m.put(
          "pekko.management.cluster.bootstrap.contact-point-discovery.port-name",
          config.getString("hearth.cluster.kubernetes.management-port-name"));
    }
    return ConfigFactory.parseMap(m);
  }

  /**
   * Starts joining: itself when alone, the seed nodes, or Cluster Bootstrap (management must serve
   * its routes).
   */
  void join(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    switch (mode) {
      case ALONE -> cluster.manager().tell(Join.create(cluster.selfMember().address()));
      case SEED_NODES -> {
        List<Address> seeds = seedNodes.stream().map(AddressFromURIString::parse).toList();
        cluster.manager().tell(new JoinSeedNodes(seeds));
      }
      case CONFIG, KUBERNETES_API -> ClusterBootstrap.get(system).start();
    }
  }

  /** A list in configuration, or a comma-separated string from an environment variable. */
  static List<String> commaList(Config config, String path) {
    if (config.getValue(path).valueType() != ConfigValueType.STRING)
      return config.getStringList(path);
    return Arrays.stream(config.getString(path).split(","))
        .map(String::trim)
        .filter(a -> !a.isEmpty())
        .toList();
  }

  @Override
  public String toString() {
    return switch (mode) {
      case ALONE -> "a cluster of its own (no contact points configured)";
      case SEED_NODES -> "seed nodes " + seedNodes;
      case CONFIG ->
          "Cluster Bootstrap over contact points "
              + contactPoints
              + ", expected size "
              + expectedSize;
      case KUBERNETES_API ->
          "Cluster Bootstrap over the Kubernetes API, expected size " + expectedSize;
    };
  }
}
