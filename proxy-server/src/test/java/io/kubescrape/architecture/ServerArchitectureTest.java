package io.kubescrape.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** proxy-server's own packages: no circles, and Micrometer only through proxy-core's metrics package. */
class ServerArchitectureTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.kubescrape.server");

    @Test
    void noPackageCycles() {
        slices().matching("io.kubescrape.server.(**)").should().beFreeOfCycles().allowEmptyShould(true).check(SERVER);
    }

    @Test
    void micrometerOnlyThroughTheMetricsPackage() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .because("ProxyMetrics is the one entry point to Micrometer").check(SERVER);
    }

    @Test
    void theServerNeverUsesTestCode() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.kubescrape.testing..", "io.kubescrape.sim..",
                "io.kubescrape.it..", "io.kubescrape.bench..").check(SERVER);
    }
}
