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
 * proxy-core's packages form layers that only point down (docs/architecture.md draws them). A new import that runs
 * back up, or closes a circle, fails the build here with the offending classes named.
 */
class CoreLayersTest {
    /** Bottom first: a package may use the ones before it, never one after it. */
    static final List<String> LAYERS = List.of("error", "transport", "route", "exposition", "config", "metrics", "upstream",
            "discovery", "resolve", "cluster", "sd");

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.kubescrape");

    @Test
    void packagesFormLayersThatOnlyPointDown() {
        Layers.bottomUp("io.kubescrape", LAYERS).check(CORE);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.kubescrape.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void everyCorePackageIsALayer() {
        noClasses().should().resideOutsideOfPackages(Layers.packages("io.kubescrape", LAYERS)).because("a new package needs its place in the layers").check(CORE);
    }

    @Test
    void upstreamKnowsNothingOfPods() {
        noClasses().that().resideInAPackage("io.kubescrape.upstream..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kubescrape.discovery..", "io.kubescrape.resolve..", "io.kubescrape.route..")
                .because("the pools carry bytes for any request; what a pod is belongs to discovery and RESOLVE")
                .check(CORE);
    }

    @Test
    void onlyTheMetricsPackageTouchesMicrometer() {
        noClasses().that().resideOutsideOfPackage("io.kubescrape.metrics..").should().dependOnClassesThat()
                .resideInAPackage("io.micrometer..").check(CORE);
    }

    @Test
    void coreNeverDependsOnTheServer() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.kubescrape.server..", "io.kubescrape.sim..",
                "io.kubescrape.it..", "io.kubescrape.bench..").check(CORE);
    }
}
