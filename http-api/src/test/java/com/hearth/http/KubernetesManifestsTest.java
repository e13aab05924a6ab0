package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hearth's own invariants over the rendered overlays (kubectl kustomize), beyond what the
 * Kubernetes schemas check (k8s/check, run here too): selectors select the pods they are meant for,
 * probes ask paths the node serves on the ports they name, every variable set is one the README
 * documents, and the cluster settings agree with the replicas.
 */
class KubernetesManifestsTest {

  static final Path K8S = Path.of("..", "k8s");

  /**
   * What the node serves without a token, by container port name (ManagementEndpoint, ApiRoutes).
   */
  static final Map<String, Set<String>> SERVED =
      Map.of(
          "management", Set.of("/health/live", "/health/ready"),
          "http", Set.of("/health", "/health/live", "/health/ready"),
          "metrics", Set.of("/metrics"));

  @ParameterizedTest
  @ValueSource(strings = {"demo", "production"})
  void theOverlayKeepsHearthsInvariants(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    List<JsonNode> workloads =
        objects.stream()
            .filter(o -> Set.of("Deployment", "StatefulSet").contains(kind(o)))
            .toList();
    assertThat(workloads)
        .extracting(o -> o.at("/metadata/name").asText())
        .contains("hearth", "hearth-ocr-worker");

    for (JsonNode w : workloads) {
      JsonNode labels = w.at("/spec/template/metadata/labels");
      assertThat(matches(w.at("/spec/selector/matchLabels"), labels))
          .as("%s selects its own pods", name(w))
          .isTrue();
      for (JsonNode c : w.at("/spec/template/spec/containers")) {
        Map<String, Integer> ports = new HashMap<>();
        c.path("ports")
            .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
          JsonNode get = c.path(probe).path("httpGet");
          if (get.isMissingNode()) continue;
          String port = get.path("port").asText();
          assertThat(ports).as("%s %s port", name(w), probe).containsKey(port);
          assertThat(SERVED.getOrDefault(port, Set.of()))
              .as("%s %s path on %s", name(w), probe, port)
              .contains(get.path("path").asText());
        }
        if (name(w).equals("hearth"))
          assertThat(c.path("readinessProbe").path("httpGet").isMissingNode())
              .as("the node has a readiness probe")
              .isFalse();
      }
    }

    // Services, NetworkPolicies and the PDB select pods that exist, and name ports those pods have.
    for (JsonNode s : ofKind(objects, "Service")) {
      List<JsonNode> pods = podsSelectedBy(workloads, s.at("/spec/selector"));
      assertThat(pods).as("Service %s selects pods", name(s)).isNotEmpty();
      for (JsonNode port : s.at("/spec/ports"))
        assertThat(containerPortNames(pods))
            .as("Service %s targetPort", name(s))
            .contains(port.path("targetPort").asText());
    }
    for (JsonNode p : ofKind(objects, "NetworkPolicy")) {
      List<JsonNode> pods = podsSelectedBy(workloads, p.at("/spec/podSelector/matchLabels"));
      assertThat(pods).as("NetworkPolicy %s selects pods", name(p)).isNotEmpty();
      for (JsonNode rule : p.at("/spec/ingress"))
        for (JsonNode port : rule.path("ports"))
          assertThat(containerPortNames(pods))
              .as("NetworkPolicy %s port", name(p))
              .contains(port.path("port").asText());
    }
    for (JsonNode pdb : ofKind(objects, "PodDisruptionBudget"))
      assertThat(podsSelectedBy(workloads, pdb.at("/spec/selector/matchLabels")))
          .as("PDB %s", name(pdb))
          .isNotEmpty();
    for (JsonNode hpa : ofKind(objects, "HorizontalPodAutoscaler"))
      assertThat(workloads)
          .extracting(KubernetesManifestsTest::name)
          .contains(hpa.at("/spec/scaleTargetRef/name").asText());
    for (JsonNode monitor : ofKind(objects, "ServiceMonitor")) {
      List<JsonNode> services =
          ofKind(objects, "Service").stream()
              .filter(
                  s -> matches(monitor.at("/spec/selector/matchLabels"), s.at("/metadata/labels")))
              .toList();
      assertThat(services).as("ServiceMonitor %s selects a Service", name(monitor)).hasSize(1);
      for (JsonNode endpoint : monitor.at("/spec/endpoints")) {
        List<String> portNames = new ArrayList<>();
        services.get(0).at("/spec/ports").forEach(p -> portNames.add(p.path("name").asText()));
        assertThat(portNames).contains(endpoint.path("port").asText());
        assertThat(SERVED.get("metrics")).contains(endpoint.path("path").asText());
      }
    }

    // The node: bootstrap finds exactly its own pods, and expects as many as it runs.
    JsonNode node =
        workloads.stream().filter(w -> name(w).equals("hearth")).findFirst().orElseThrow();
    Map<String, String> env = env(node);
    String[] selector = env.get("HEARTH_K8S_POD_SELECTOR").split("=", 2);
    for (JsonNode w : workloads)
      assertThat(
              w.at("/spec/template/metadata/labels").path(selector[0]).asText().equals(selector[1]))
          .as("HEARTH_K8S_POD_SELECTOR selects %s", name(w))
          .isEqualTo(name(w).equals("hearth"));
    assertThat(env.get("HEARTH_DISCOVERY")).isEqualTo("kubernetes-api");
    assertThat(Integer.parseInt(env.get("HEARTH_CLUSTER_SIZE")))
        .isEqualTo(node.at("/spec/replicas").asInt());
    JsonNode hpa = ofKind(objects, "HorizontalPodAutoscaler").get(0);
    assertThat(hpa.at("/spec/minReplicas").asInt())
        .isGreaterThanOrEqualTo(node.at("/spec/replicas").asInt());
    assertThat(node.at("/spec/template/spec/serviceAccountName").asText())
        .isEqualTo(ofKind(objects, "RoleBinding").get(0).at("/subjects/0/name").asText());
    assertThat(ofKind(objects, "Role").get(0).at("/rules/0/resources").toString()).contains("pods");

    // Every variable set on any container is one the README documents.
    String readme = Files.readString(Path.of("..", "README.md"));
    for (JsonNode w : workloads)
      for (String variable : env(w).keySet())
        if (variable.startsWith("HEARTH_"))
          assertThat(readme)
              .as("README documents %s (set on %s)", variable, name(w))
              .contains("`" + variable + "`");
  }

  /**
   * The image's build stage copies every Maven module the parent pom lists: a module added without
   * its COPY breaks `docker build` only, which no test here runs (billing once did).
   */
  @Test
  void theDockerfileCopiesEveryModule() throws IOException {
    String pom = Files.readString(Path.of("..", "pom.xml"));
    String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    List<String> modules = new ArrayList<>();
    while (module.find()) modules.add(module.group(1));
    assertThat(modules).contains("engine", "billing", "http-api");
    for (String m : modules)
      assertThat(dockerfile)
          .as("the Dockerfile copies module %s", m)
          .contains("COPY " + m + " " + m + "\n");
  }

  /**
   * The schema check (k8s/check: every object of every overlay against the Kubernetes and
   * Prometheus Operator schemas, unknown fields included, and its self-test with a broken overlay)
   * runs inside the suite, so the README's test command covers it.
   */
  @Test
  void everyOverlayPassesTheSchemaCheck() throws Exception {
    Process check =
        new ProcessBuilder("bash", K8S.resolve("check").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(check.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("demo: ", "production: ", "self-test: an overlay with unknown fields fails");
  }

  static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
    Process kubectl;
    try {
      kubectl =
          new ProcessBuilder(
                  "kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "this test renders k8s/ with kubectl: install it (Debian: apt-get install kubernetes-client)",
          e);
    }
    String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kubectl.exitValue()).as(err).isZero();
    List<JsonNode> objects = new ArrayList<>();
    new ObjectMapper(new YAMLFactory())
        .readerFor(JsonNode.class)
        .readValues(out)
        .forEachRemaining(o -> objects.add((JsonNode) o));
    assertThat(objects).hasSizeGreaterThan(10);
    return objects;
  }

  static String kind(JsonNode o) {
    return o.path("kind").asText();
  }

  static String name(JsonNode o) {
    return o.at("/metadata/name").asText();
  }

  static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> kind(o).equals(kind)).toList();
  }

  static boolean matches(JsonNode selector, JsonNode labels) {
    if (selector.isMissingNode() || selector.isEmpty()) return false;
    var it = selector.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) return false;
    }
    return true;
  }

  static List<JsonNode> podsSelectedBy(List<JsonNode> workloads, JsonNode selector) {
    return workloads.stream()
        .filter(w -> matches(selector, w.at("/spec/template/metadata/labels")))
        .toList();
  }

  static Set<String> containerPortNames(List<JsonNode> workloads) {
    Set<String> names = new java.util.TreeSet<>();
    for (JsonNode w : workloads)
      for (JsonNode c : w.at("/spec/template/spec/containers"))
        c.path("ports").forEach(p -> names.add(p.path("name").asText()));
    return names;
  }

  static Map<String, String> env(JsonNode workload) {
    Map<String, String> env = new HashMap<>();
    for (JsonNode c : workload.at("/spec/template/spec/containers"))
      for (JsonNode e : c.path("env"))
        env.put(e.path("name").asText(), e.path("value").asText(null));
    return env;
  }
}
