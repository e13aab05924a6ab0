package com.hearth.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The domain stays free of infrastructure and of the modules built on it: checked on the compiled
 * classes (every reference, not only imports). The layering of all modules is checked in http-api's
 * {@code LayeringTest}, where they are all on the class path.
 */
@AnalyzeClasses(
    packages = "com.hearth.engine",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule noHttp =
      noClasses()
          .that()
          .resideInAPackage("com.hearth.engine..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.pekko.http..")
          .because("HTTP is the http-api's: the domain answers with replies and rejections");

  @ArchTest
  static final ArchRule noJdbc =
      noClasses()
          .that()
          .resideInAPackage("com.hearth.engine..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.sql..", "javax.sql..", "com.zaxxer..", "org.flywaydb..", "slick..")
          .because("the engine reaches its database only through pekko-persistence");

  @ArchTest
  static final ArchRule noStripe =
      noClasses()
          .that()
          .resideInAPackage("com.hearth.engine..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.stripe..")
          .because(
              "payments drive the gateway through the PaymentGateway port; the Stripe adapter is the http-api's");

  @ArchTest
  static final ArchRule noModuleAbove =
      noClasses()
          .that()
          .resideInAPackage("com.hearth.engine..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "com.hearth.http..",
              "com.hearth.projections..",
              "com.hearth.billing..",
              "com.hearth.ocr..",
              "com.hearth.loadtest..")
          .because("every other module depends on the engine, never the reverse");

  /**
   * The rules can fail: a class of the engine's packages that holds a JDBC connection breaks them.
   */
  @ArchTest
  static void theRulesCatchAViolation(JavaClasses engine) {
    assertThat(engine.contain(Rejection.class)).isTrue();
    JavaClasses offending = new ClassFileImporter().importClasses(UsesJdbc.class);
    assertThat(noJdbc.evaluate(offending).hasViolation()).isTrue();
    assertThat(noHttp.evaluate(offending).hasViolation()).isFalse();
  }

  static final class UsesJdbc {
    java.sql.Connection connection;
  }
}
