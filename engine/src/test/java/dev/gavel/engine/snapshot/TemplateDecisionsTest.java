package dev.gavel.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.RequestReader;
import dev.gavel.engine.model.PolicyTestCase;
import dev.gavel.engine.model.PolicyTestSuite;
import dev.gavel.engine.resolve.TemplatePolicies;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The decision tests shipped in policies-repo-template/tests hold against the compiled template. */
class TemplateDecisionsTest {
    @TestFactory
    Stream<DynamicTest> templateTestsPass() {
        CompileResult result = SnapshotCompiler.compile("template", TemplatePolicies.files());
        assertThat(result.diagnostics()).filteredOn(d -> d.isError()).isEmpty();
        PolicySnapshot snapshot = ((CompileResult.Compiled) result).snapshot();
        List<PolicyTestSuite> suites = snapshot.tests();
        assertThat(suites).hasSizeGreaterThanOrEqualTo(4);
        return suites.stream()
                .flatMap(s -> s.tests().stream()
                        .map(t -> DynamicTest.dynamicTest(s.name() + ": " + t.name(), () -> check(snapshot, t))));
    }

    private static void check(PolicySnapshot snapshot, PolicyTestCase t) {
        RequestReader.Result read = RequestReader.read(
                t.scope(), t.request(), snapshot.settings().levels().size());
        assertThat(read).isInstanceOf(RequestReader.Read.class);
        Evaluation e = snapshot.evaluate(((RequestReader.Read) read).request());
        assertThat(e.missing()).as("missing fields").isEmpty();
        assertThat(e.decision()).as("decision; matches: %s", e.matches()).isEqualTo(t.decision());
        t.matched().ifPresent(expected -> {
            Set<String> actual = e.matches().stream().map(Match::policy).collect(Collectors.toSet());
            assertThat(actual).as("matched policies").isEqualTo(expected);
        });
    }
}
