package com.hearth.http;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The modules' layering, on the compiled classes of every module this one sees: http-api -> billing
 * -> projections -> engine (and http-api -> projections, ocr-worker -> engine). The engine's own
 * rules (no Pekko HTTP, JDBC, Stripe) are engine's {@code ArchitectureTest}.
 */
@AnalyzeClasses(packages = "com.hearth", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .withOptionalLayers(true)
          .layer("http-api")
          .definedBy("com.hearth.http..")
          .layer("billing")
          .definedBy("com.hearth.billing..")
          .layer("projections")
          .definedBy("com.hearth.projections..")
          .layer("ocr-worker")
          .definedBy("com.hearth.ocr..")
          .layer("engine")
          .definedBy("com.hearth.engine..")
          .whereLayer("http-api")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("billing")
          .mayOnlyBeAccessedByLayers("http-api")
          .whereLayer("projections")
          .mayOnlyBeAccessedByLayers("billing", "http-api")
          .whereLayer("ocr-worker")
          .mayOnlyBeAccessedByLayers("http-api")
          .whereLayer("engine")
          .mayOnlyBeAccessedByLayers("http-api", "billing", "projections", "ocr-worker");

  /** The layers are checked on real classes: every module this one depends on is imported. */
  @ArchTest
  static void everyModuleIsImported(JavaClasses classes) {
    for (String module :
        List.of(
            "com.hearth.http", "com.hearth.billing", "com.hearth.projections", "com.hearth.engine"))
      assertThat(classes.containPackage(module)).as(module).isTrue();
  }
}
