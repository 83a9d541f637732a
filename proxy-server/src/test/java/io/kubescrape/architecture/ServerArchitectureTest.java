package io.kubescrape.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.kubescrape.testing.Layers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * proxy-server's packages by concern, in layers that only point down (docs/architecture.md): no circles, and
 * Micrometer only through proxy-core's metrics package.
 */
class ServerArchitectureTest {
    /** Bottom first: a package may use the ones before it, never one after it. */
    static final List<String> LAYERS = List.of("http", "auth", "scrape", "share", "aggregate", "state", "admin", "connection",
            "lifecycle");

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.kubescrape.server");

    @Test
    void noPackageCycles() {
        slices().matching("io.kubescrape.server.(*)..").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void packagesFormLayersThatOnlyPointDown() {
        Layers.bottomUp("io.kubescrape.server", LAYERS).check(SERVER);
    }

    @Test
    void everyClassSitsInALayer() {
        noClasses().should().resideOutsideOfPackages(Layers.packages("io.kubescrape.server", LAYERS)).because("a new package needs its place in the layers").check(SERVER);
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
