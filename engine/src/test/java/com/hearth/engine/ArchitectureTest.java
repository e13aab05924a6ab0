package com.hearth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The domain stays free of HTTP, SQL, Stripe and the node's own HTTP layer. */
class ArchitectureTest {

  private static final List<String> FORBIDDEN = List.of(
      "import org.apache.pekko.http", "import java.sql", "import javax.sql", "import com.stripe",
      "import com.hearth.http", "import com.zaxxer", "import org.flywaydb", "import slick");

  @Test
  void engineImportsNoInfrastructure() throws IOException {
    Path sources = Path.of("src/main/java");
    assertThat(sources).isDirectory();
    try (Stream<Path> files = Files.walk(sources)) {
      List<Path> javaFiles = files.filter(p -> p.toString().endsWith(".java")).toList();
      assertThat(javaFiles).hasSizeGreaterThan(10);
      for (Path file : javaFiles) {
        List<String> offending = Files.readAllLines(file).stream()
            .filter(line -> FORBIDDEN.stream().anyMatch(line::startsWith))
            .toList();
        assertThat(offending).as(file.toString()).isEmpty();
      }
    }
  }
}
