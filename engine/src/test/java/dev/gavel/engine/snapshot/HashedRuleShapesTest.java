package dev.gavel.engine.snapshot;

import static dev.gavel.engine.snapshot.SnapshotCompilerTest.compiled;
import static dev.gavel.engine.snapshot.SnapshotCompilerTest.policy;
import static dev.gavel.engine.snapshot.SnapshotCompilerTest.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.compile.CompiledRule;
import dev.gavel.engine.compile.Constraint;
import dev.gavel.engine.compile.DrlOracle;
import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule shapes that let Drools select rules by lookup (docs/engine.md, "What a rule looks like") keep each
 * rule's meaning: a condition copied per value or per equality still matches once when it holds, and the
 * given/missing guards of a built-in policy decide or report exactly as the guards they replace.
 */
class HashedRuleShapesTest {
    private static final DrlOracle ORACLE = new DrlOracle();

    private final PolicySnapshot snap = compiled(repo(
            "policies/either.yaml", policy("either", """
                type: custom
                enforcement: block
                rules:
                  - {name: r, when: 'attributes.ticket == "T-1" || resource.labels.cc == "x" || action == "delete"', effect: deny, message: m}
                """),
            "policies/tiers.yaml", policy("tiers", """
                type: custom
                enforcement: block
                rules:
                  - {name: r, when: 'action == "deploy" && resource.labels.tier in ["a", "b", "a"]', effect: deny, message: m}
                """),
            "policies/where.yaml", policy("where", """
                type: location
                enforcement: block
                settings:
                  allowed: [{name: EU, type: continent}]
                """),
            "policies/tokens.yaml", policy("tokens", """
                type: maxTokens
                enforcement: block
                settings: {input: 100, ratioInputOverOutput: 2}
                """)));

    private static Request request(
            String action,
            Map<String, String> labels,
            Map<String, Object> attributes,
            Request.Location location,
            Request.Tokens tokens) {
        return new Request(
                List.of(),
                new Request.Resource("model", "n", labels),
                action,
                location,
                Request.Flavor.NONE,
                tokens,
                attributes);
    }

    private Evaluation both(Request r) {
        Evaluation served = snap.evaluate(r);
        assertThat(snap.evaluate(r, CircuitBreakers.NONE_OPEN, ORACLE))
                .as("DRL oracle")
                .isEqualTo(served);
        return served;
    }

    private static final Request.Location EU = new Request.Location(null, null, "EU");
    private static final Request.Tokens FEW = new Request.Tokens(10L, 10L, null);

    @Test
    void aDisjunctionOfEqualitiesIsOneHashedCopyPerEqualityAndMatchesOnce() {
        List<CompiledRule> copies = rulesOf("either");
        assertThat(copies).hasSize(3);
        assertThat(copies)
                .allSatisfy(r -> assertThat(r.constraints().get(0).hash()).isNotNull());
        assertThat(matches(both(request("delete", Map.of("cc", "x"), Map.of("ticket", "T-1"), EU, FEW)), "either"))
                .isEqualTo(1);
        assertThat(matches(both(request("delete", Map.of("cc", "x"), Map.of(), EU, FEW)), "either"))
                .isEqualTo(1);
        assertThat(matches(both(request("read", Map.of("cc", "x"), Map.of(), EU, FEW)), "either"))
                .isEqualTo(1);
        assertThat(matches(both(request("read", Map.of("cc", "y"), Map.of("ticket", "T-2"), EU, FEW)), "either"))
                .isZero();
    }

    @Test
    void anInBehindAnEqualityIsStillOneCopyPerDistinctValue() {
        assertThat(rulesOf("tiers")).hasSize(2);
        assertThat(matches(both(request("deploy", Map.of("tier", "a"), Map.of(), EU, FEW)), "tiers"))
                .isEqualTo(1);
        assertThat(matches(both(request("deploy", Map.of("tier", "c"), Map.of(), EU, FEW)), "tiers"))
                .isZero();
        assertThat(matches(both(request("read", Map.of("tier", "b"), Map.of(), EU, FEW)), "tiers"))
                .isZero();
    }

    @Test
    void aBuiltInPolicysDecidingAndMissingFieldRulesAreSelectedByOneGivenOrMissingLookup() {
        for (String policy : List.of("where", "tokens")) {
            assertThat(rulesOf(policy)).allSatisfy(r -> {
                Constraint.Hash h = r.constraints().get(0).hash();
                assertThat(h).as(r.constraints().toString()).isNotNull();
                assertThat(h.property()).endsWith(" given");
            });
        }
        Evaluation located = both(request("read", Map.of(), Map.of(), new Request.Location(null, "JP", "AS"), FEW));
        assertThat(located.missing()).isEmpty();
        assertThat(matches(located, "where")).isEqualTo(1);
        Evaluation nowhere = both(request("read", Map.of(), Map.of(), Request.Location.NONE, FEW));
        assertThat(nowhere.missing()).extracting(m -> m.policy()).containsExactly("where");
        assertThat(matches(nowhere, "where")).isZero();
        Evaluation noOutput = both(request("read", Map.of(), Map.of(), EU, new Request.Tokens(500L, null, null)));
        assertThat(noOutput.missing()).extracting(m -> m.field()).containsExactly("tokens");
        assertThat(noOutput.matches()).extracting(m -> m.rule()).containsExactly("settings.input");
        Evaluation overRatio = both(request("read", Map.of(), Map.of(), EU, new Request.Tokens(50L, 10L, null)));
        assertThat(overRatio.missing()).isEmpty();
        assertThat(overRatio.matches()).extracting(m -> m.rule()).containsExactly("settings.ratioInputOverOutput");
    }

    private List<CompiledRule> rulesOf(String policy) {
        return snap.partitions().get("").compiled().stream()
                .filter(r -> r.ref().policy().equals(policy))
                .toList();
    }

    private static long matches(Evaluation e, String policy) {
        return e.matches().stream().filter(m -> m.policy().equals(policy)).count();
    }
}
