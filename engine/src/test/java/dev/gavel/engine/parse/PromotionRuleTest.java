package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PromotionRule;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.resolve.PolicySet;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** spec.promotion: the rule a policy states for when it is ready to be promoted. */
class PromotionRuleTest {
    static final String FILE = """
      apiVersion: gavel/v1
      kind: Policy
      metadata: {name: no-gpu}
      spec:
        type: custom
        enforcement: warn
        rules: [{name: r, when: 'flavor.type == "gpu"', effect: deny, message: no}]
      %s""";

    static ParseResult<Policy> parse(String promotion) {
        return PolicyParser.parse(FILE.formatted(promotion).getBytes(StandardCharsets.UTF_8), "policies/no-gpu.yaml");
    }

    @Test
    @DisplayName("a stated rule parses and round-trips; none means the default; bad figures are field errors")
    void parses() {
        Policy p = parse("  promotion: {minEvaluations: 500, minDaysInWarn: 14, maxWouldDenyRate: 0.01}")
                .valueIfValid()
                .orElseThrow();
        assertThat(p.spec().promotionRule()).isEqualTo(new PromotionRule(500, 14, 0.01));
        Policy back = PolicyParser.parse(
                        PolicyWriter.toYaml(p).getBytes(StandardCharsets.UTF_8), "policies/no-gpu.yaml")
                .valueIfValid()
                .orElseThrow();
        assertThat(back).isEqualTo(p);
        assertThat(parse("").valueIfValid().orElseThrow().spec().promotionRule())
                .isEqualTo(PromotionRule.DEFAULT);
        assertThat(parse("  promotion: {minDaysInWarn: 3}")
                        .valueIfValid()
                        .orElseThrow()
                        .spec()
                        .promotionRule())
                .isEqualTo(new PromotionRule(1, 3, 0.0));
        assertThat(parse("  promotion: {minEvaluations: 0, maxWouldDenyRate: 2, days: 1}")
                        .diagnostics())
                .filteredOn(Diagnostic::isError)
                .extracting(Diagnostic::field)
                .contains("spec.promotion.minEvaluations", "spec.promotion.maxWouldDenyRate", "spec.promotion.days");
    }

    @Test
    @DisplayName("an override without a rule inherits the outer one")
    void inherits() {
        String outer = FILE.formatted("  promotion: {minEvaluations: 50}");
        String inner = FILE.formatted("").replace("enforcement: warn", "enforcement: audit");
        CompileResult r = SnapshotCompiler.compile(
                "c",
                Map.of(
                        "policies/no-gpu.yaml",
                        outer.getBytes(StandardCharsets.UTF_8),
                        "policies/acme/no-gpu.yaml",
                        inner.getBytes(StandardCharsets.UTF_8)));
        PolicySnapshot snap = ((CompileResult.Compiled) r).snapshot();
        PolicySet set = snap.policies();
        assertThat(snap.resolve(ScopePath.parse("acme"))
                        .get(0)
                        .policy()
                        .spec()
                        .promotionRule()
                        .minEvaluations())
                .isEqualTo(50);
        assertThat(set.all()).hasSize(2);
    }
}
