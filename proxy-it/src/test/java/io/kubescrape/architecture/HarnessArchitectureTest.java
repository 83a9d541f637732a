package io.kubescrape.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** proxy-it's main code (kube-sim and the benchmark harness): no package circles, and never the server's insides. */
class HarnessArchitectureTest {
    private static final JavaClasses HARNESS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.kubescrape.sim", "io.kubescrape.bench", "io.kubescrape.it");

    @Test
    void noPackageCycles() {
        slices().matching("io.kubescrape.(*)..").should().beFreeOfCycles().check(HARNESS);
    }

    @Test
    void kubeSimIsABlackBoxApiServer() {
        noClasses().that().resideInAPackage("io.kubescrape.sim..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kubescrape.server..", "io.kubescrape.bench..", "io.kubescrape.cluster..",
                        "io.kubescrape.resolve..", "io.kubescrape.sd..")
                .because("kube-sim stands in for a real API server: it may share wire-level helpers, not kubescrape's logic")
                .check(HARNESS);
    }
}
