package io.kubescrape.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * proxy-server's packages by concern, in layers that only point down (docs/architecture.md): no circles, and
 * Micrometer only through proxy-core's metrics package.
 */
class ServerArchitectureTest {
    /** Bottom first: a package may use the ones before it, never one after it. */
    static final List<String> LAYERS = List.of("http", "auth", "scrape", "state", "admin", "connection", "lifecycle");

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
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            layers = layers.layer(layer).definedBy("io.kubescrape.server." + layer + "..");
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            layers = layers.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(
                    LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new));
        }
        layers.whereLayer(LAYERS.get(LAYERS.size() - 1)).mayNotBeAccessedByAnyLayer().check(SERVER);
    }

    @Test
    void everyClassSitsInALayer() {
        noClasses().should().resideOutsideOfPackages(LAYERS.stream().map(l -> "io.kubescrape.server." + l + "..")
                .toArray(String[]::new)).because("a new package needs its place in the layers").check(SERVER);
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
