package org.opdeploy.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules the package layout keeps (README, Development): packages form a DAG, modules depend one
 * way ({@code cli} → {@code deploy-agent} → {@code release-publisher} → {@code builder-core}), and
 * the CLI only parses, calls a facade ({@code BuildAgent}, {@code TargetAgent}) and renders: it
 * never wires steps itself. Checked over the main classes of every module the CLI sees.
 */
class ArchitectureTest {
  /** The modules, from the one nothing else may use to the one everything may use. */
  private static final List<String> MODULES =
      List.of("cli", "deploy-agent", "release-publisher", "builder-core");

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            // Other modules' test jars (fakes, factories) are on the test class path too.
            .withImportOption((Location location) -> !location.contains("-tests.jar"))
            .importPackages("org.opdeploy");
  }

  @Test
  void packagesFormADirectedAcyclicGraph() {
    slices().matching("org.opdeploy.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void modulesDependOneWayFromTheCliToBuilderCore() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("cli")
        .definedBy(inModule("cli"))
        .layer("deploy-agent")
        .definedBy(inModule("deploy-agent"))
        .layer("release-publisher")
        .definedBy(inModule("release-publisher"))
        .layer("builder-core")
        .definedBy(inModule("builder-core"))
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("deploy-agent")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("release-publisher")
        .mayOnlyBeAccessedByLayers("deploy-agent", "cli")
        .check(classes);
  }

  @Test
  void everyModuleKeepsItsOwnPackages() {
    // Maven already refuses a dependency against the module order; a package split over two
    // modules would hide one from the package rules, and a class from no module from all rules.
    Map<String, Set<String>> modulesByPackage = new TreeMap<>();
    for (JavaClass c : classes) {
      modulesByPackage
          .computeIfAbsent(c.getPackageName(), p -> new TreeSet<>())
          .add(moduleOf(c).orElse("no module (" + c.getSource() + ")"));
    }
    assertThat(modulesByPackage.keySet()).contains("org.opdeploy.cli", "org.opdeploy.audit");
    modulesByPackage.forEach(
        (pkg, modules) -> assertThat(modules).as(pkg).hasSize(1).isSubsetOf(MODULES));
  }

  @Test
  void theCliConstructsNoStepsItCallsAFacade() {
    noClasses()
        .that()
        .resideInAPackage("org.opdeploy.cli..")
        .should()
        .callConstructorWhere(
            DescribedPredicate.describe(
                "the constructor of a step (a class named *Step)",
                (JavaConstructorCall call) ->
                    call.getTargetOwner().getSimpleName().endsWith("Step")))
        .check(classes);
  }

  /**
   * The module a class was built in: it comes from {@code <module>/target/classes} (the reactor's
   * {@code test} phase) or {@code <module>/target/<module>-<version>.jar} (its {@code verify}).
   */
  private static Optional<String> moduleOf(JavaClass c) {
    String uri = c.getSource().map(source -> source.getUri().toString()).orElse("");
    return MODULES.stream().filter(m -> uri.contains("/" + m + "/target/")).findFirst();
  }

  private static DescribedPredicate<JavaClass> inModule(String module) {
    return DescribedPredicate.describe(
        "classes of " + module, c -> moduleOf(c).filter(module::equals).isPresent());
  }
}
