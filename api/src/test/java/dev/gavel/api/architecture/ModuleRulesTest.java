package dev.gavel.api.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The module rule of DESIGN.md: api -> engine, api -> store; engine and store know neither each other nor api. */
class ModuleRulesTest {
    private static JavaClasses gavel;

    @BeforeAll
    static void importClasses() {
        gavel = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.gavel");
    }

    @Test
    @DisplayName("the import sees every module, so the rules below are not vacuous")
    void importSeesAllModules() {
        assertThat(gavel.containPackage("dev.gavel.engine.model")).isTrue();
        assertThat(gavel.containPackage("dev.gavel.engine.parse")).isTrue();
        assertThat(gavel.containPackage("dev.gavel.store.git")).isTrue();
        assertThat(gavel.containPackage("dev.gavel.api.cli")).isTrue();
    }

    @Test
    @DisplayName("engine depends on neither store nor api")
    void engineIsIndependent() {
        noClasses()
                .that()
                .resideInAPackage("dev.gavel.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.gavel.store..", "dev.gavel.api..", "dev.gavel.bench..")
                .check(gavel);
    }

    @Test
    @DisplayName("store depends on neither engine nor api")
    void storeIsIndependent() {
        noClasses()
                .that()
                .resideInAPackage("dev.gavel.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.gavel.engine..", "dev.gavel.api..", "dev.gavel.bench..")
                .check(gavel);
    }

    @Test
    @DisplayName("engine is pure: no Git, SQL, HTTP or file I/O")
    void engineIsPure() {
        noClasses()
                .that()
                .resideInAPackage("dev.gavel.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.eclipse.jgit..",
                        "java.sql..",
                        "org.sqlite..",
                        "io.javalin..",
                        "org.eclipse.jetty..",
                        "java.net.http..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.nio.file.Files")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.File")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.FileInputStream")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.FileOutputStream")
                .check(gavel);
    }

    @Test
    @DisplayName("store knows nothing of Drools or HTTP")
    void storeKnowsNoDroolsNorHttp() {
        noClasses()
                .that()
                .resideInAPackage("dev.gavel.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.drools..", "org.kie..", "io.javalin..", "org.eclipse.jetty..")
                .check(gavel);
    }

    @Test
    @DisplayName(
            "no package cycles anywhere: shared HTTP plumbing is the leaf api.http, the evaluation flow sits in api.snapshot")
    void packagesAreFreeOfCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("dev.gavel.(**)")
                .should()
                .beFreeOfCycles()
                .check(gavel);
    }

    @Test
    @DisplayName("api.http and api.wire are leaves of the api module")
    void plumbingIsALeaf() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.gavel.api.http..", "dev.gavel.api.wire..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.gavel.api.server..",
                        "dev.gavel.api.cli..",
                        "dev.gavel.api.validate..",
                        "dev.gavel.api.snapshot..")
                .check(gavel);
    }
}
