package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/**
 * How hearth.cluster (the HEARTH_DISCOVERY, HEARTH_CONTACT_POINTS... variables) picks the way a
 * node joins.
 */
class ClusterFormationTest {

  private static Config with(String settings) {
    return ConfigFactory.parseString(settings).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void withNothingConfiguredTheNodeIsAloneAndItsOwnMajority() {
    ClusterFormation f = ClusterFormation.from(with(""));
    assertThat(f.mode()).isEqualTo(ClusterFormation.Mode.ALONE);
    assertThat(f.expectedSize()).isEqualTo(1);
    assertThat(f.quorum()).isEqualTo(1);
    assertThat(f.bootstraps()).isFalse();
  }

  @Test
  void contactPointsSelectBootstrapOverConfigWithTheirCountAsTheExpectedSize() {
    Config config =
        with("hearth.cluster.contact-points = \"127.0.0.1:8558, 127.0.0.1:8559,127.0.0.1:8560\"");
    ClusterFormation f = ClusterFormation.from(config);
    assertThat(f.mode()).isEqualTo(ClusterFormation.Mode.CONFIG);
    assertThat(f.expectedSize()).isEqualTo(3);
    assertThat(f.quorum()).isEqualTo(2);
    Config pekko = f.pekkoOverrides(config, 8559);
    assertThat(
            pekko.getInt(
                "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"))
        .isEqualTo(3);
    assertThat(
            pekko.getString(
                "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
        .isEqualTo("config");
    assertThat(pekko.getConfigList("pekko.discovery.config.services.hearth.endpoints"))
        .extracting(e -> e.getString("host") + ":" + e.getInt("port"))
        .containsExactly("127.0.0.1:8558", "127.0.0.1:8559", "127.0.0.1:8560");
    assertThat(pekko.getInt("pekko.management.http.port")).isEqualTo(8559);
  }

  @Test
  void anExplicitSizeWinsAndKubernetesNeedsOne() {
    assertThat(
            ClusterFormation.from(
                    with(
                        """
        hearth.cluster.contact-points = "a:1,b:1,c:1"
        hearth.cluster.expected-size = 5
        """))
                .quorum())
        .isEqualTo(3);
    assertThatThrownBy(
            () -> ClusterFormation.from(with("hearth.cluster.discovery = kubernetes-api")))
        .hasMessageContaining("HEARTH_CLUSTER_SIZE");
    ClusterFormation k8s =
        ClusterFormation.from(
            with(
                """
        hearth.cluster.discovery = kubernetes-api
        hearth.cluster.expected-size = 3
        """));
    assertThat(
            k8s.pekkoOverrides(with(""), 8558)
                .getString(
                    "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
        .isEqualTo("kubernetes-api");
  }

  @Test
  void seedNodesStillWorkAndMistakesAreNamed() {
    assertThat(
            ClusterFormation.from(with("hearth.cluster.seed-nodes = \"pekko://hearth@a:25520\""))
                .mode())
        .isEqualTo(ClusterFormation.Mode.SEED_NODES);
    assertThatThrownBy(() -> ClusterFormation.from(with("hearth.cluster.discovery = dns")))
        .hasMessageContaining("config or kubernetes-api");
    assertThatThrownBy(() -> ClusterFormation.from(with("hearth.cluster.discovery = config")))
        .hasMessageContaining("HEARTH_CONTACT_POINTS");
    assertThatThrownBy(
            () -> ClusterFormation.from(with("hearth.cluster.contact-points = \"10.0.0.1\"")))
        .hasMessageContaining("host:port");
  }
}
