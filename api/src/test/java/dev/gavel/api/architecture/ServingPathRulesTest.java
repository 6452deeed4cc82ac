package dev.gavel.api.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The structural half of the injection defence (issue 12): knowledge bases are built from Java code
 * (the executable model's PatternDSL), so no code path hands rule text to a Drools compiler — only
 * the DRL oracle ({@code DrlOracle}) does, and nothing on the serving path uses the oracle.
 */
class ServingPathRulesTest {
    private static final String ORACLE = "dev.gavel.engine.compile.DrlOracle";
    private static JavaClasses gavel;

    @BeforeAll
    static void importClasses() {
        gavel = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.gavel");
    }

    @Test
    @DisplayName("only the DRL oracle compiles rule text (KnowledgeBuilder, KieBuilder, DRL resources, MVEL)")
    void onlyTheOracleCompilesText() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(ORACLE)
                .and()
                .resideInAPackage("dev.gavel..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.kie.internal.builder..",
                        "org.kie.internal.io..",
                        "org.drools.mvel..",
                        "org.drools.compiler..",
                        "org.drools.drl..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.kie.api.builder.KieBuilder")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.kie.api.io.ResourceType")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.kie.api.runtime.KieContainer")
                .check(gavel);
    }

    @Test
    @DisplayName("the server and the CLI's decisions never use the DRL oracle")
    void servingPathDoesNotUseTheOracle() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.gavel.api..",
                        "dev.gavel.engine.snapshot..",
                        "dev.gavel.engine.eval..",
                        "dev.gavel.engine.impact..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName(ORACLE)
                .check(gavel);
    }
}
