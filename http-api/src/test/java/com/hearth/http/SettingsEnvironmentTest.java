package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every environment variable the .conf files name ({@code ${?HEARTH_...}}) reaches its setting in a
 * node's configuration, and every Hearth setting it reaches is read by the code. The list comes
 * from the .conf files themselves; a JVM of its own loads the configuration with each variable set
 * to a value no default has.
 */
class SettingsEnvironmentTest {

  private static final Pattern ENV = Pattern.compile("\\$\\{\\?(HEARTH_[A-Z0-9_]+)}");
  private static final List<Path> CONF_DIRS =
      List.of(
          Path.of("src/main/resources"),
          Path.of("../engine/src/main/resources"),
          Path.of("../projections/src/main/resources"));

  /** Variable to the settings it set, as the separate JVM printed them. */
  private static final Map<String, Set<String>> reached = new TreeMap<>();

  private static final Set<String> variables = new TreeSet<>();

  @BeforeAll
  static void loadTheConfigurationWithEveryVariableSet() throws Exception {
    for (Path dir : CONF_DIRS) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path conf : files.filter(f -> f.toString().endsWith(".conf")).toList()) {
          Matcher m = ENV.matcher(Files.readString(conf));
          while (m.find()) variables.add(m.group(1));
        }
      }
    }
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Dump.class.getName());
    builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
    for (String variable : variables) builder.environment().put(variable, valueFor(variable));
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    for (String line : out.split("\n")) {
      if (!line.startsWith("setting ")) continue;
      String[] parts = line.substring("setting ".length()).split("=", 2);
      String variable = parts[1].substring("env-".length());
      reached.computeIfAbsent(variable, v -> new TreeSet<>()).add(parts[0]);
    }
  }

  static String valueFor(String variable) {
    return "env-" + variable;
  }

  @Test
  void theConfFilesNameTheVariablesThisTestExpectsToFind() {
    // A floor, not the list: a scan that found nothing would make the other tests vacuous.
    assertThat(variables)
        .hasSizeGreaterThan(30)
        .contains(
            "HEARTH_ASK_TIMEOUT",
            "HEARTH_HOLD_TTL",
            "HEARTH_READ_MODELS_GROUP_SIZE",
            "HEARTH_JWT_SECRET",
            "HEARTH_SEED_NODES");
  }

  @Test
  void everyVariableReachesASettingOfTheLoadedConfiguration() {
    assertThat(reached.keySet()).containsExactlyInAnyOrderElementsOf(variables);
  }

  @Test
  void everyHearthSettingAVariableReachesIsReadByTheCode() throws Exception {
    StringBuilder code = new StringBuilder();
    for (Path module :
        List.of(
            Path.of("src/main"),
            Path.of("../engine/src/main"),
            Path.of("../projections/src/main"))) {
      try (Stream<Path> files = Files.walk(module)) {
        for (Path f :
            files
                .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".conf"))
                .toList()) code.append(Files.readString(f)).append('\n');
      }
    }
    List<String> unread = new ArrayList<>();
    reached.forEach(
        (variable, settings) -> {
          for (String setting : settings) {
            if (!setting.startsWith("hearth.")) continue;
            String key = setting.substring(setting.lastIndexOf('.') + 1);
            // Read as "key" from its block, or by its full path, or as part of a block the code
            // hands
            // over whole (a dispatcher, by its path), or copied into a library's setting by the
            // .conf.
            boolean read =
                code.toString().contains("\"" + key + "\"")
                    || code.toString().contains("${" + setting + "}");
            for (String path = setting;
                !read && path.indexOf('.') != path.lastIndexOf('.');
                path = path.substring(0, path.lastIndexOf('.')))
              read = code.toString().contains("\"" + path + "\"");
            if (!read) unread.add(variable + " -> " + setting);
          }
        });
    assertThat(unread).as("settings a variable sets but no code reads").isEmpty();
  }

  /** Run in its own JVM: prints every setting whose value came from one of the variables. */
  public static final class Dump {
    public static void main(String[] args) {
      Config config = ConfigFactory.load();
      for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
        Object value = e.getValue().unwrapped();
        if (value instanceof String s && s.startsWith("env-HEARTH_"))
          System.out.println("setting " + e.getKey() + "=" + s);
      }
    }
  }
}
