package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Seed nodes come as a list in configuration or as HEARTH_SEED_NODES, a comma-separated string. */
class SeedNodesTest {

  @Test
  void readsAListOrACommaSeparatedString() {
    assertThat(HearthNode.seedNodes(ConfigFactory.parseString("hearth.cluster.seed-nodes = []")))
        .isEmpty();
    assertThat(
            HearthNode.seedNodes(
                ConfigFactory.parseString(
                    "hearth.cluster.seed-nodes = [\"pekko://hearth@10.0.0.1:25520\"]")))
        .containsExactly("pekko://hearth@10.0.0.1:25520");
    assertThat(
            HearthNode.seedNodes(
                ConfigFactory.parseString(
                    "hearth.cluster.seed-nodes = \"pekko://hearth@a:25520, pekko://hearth@b:25520,\"")))
        .containsExactly("pekko://hearth@a:25520", "pekko://hearth@b:25520");
  }
}
