package dev.gavel.engine.impact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ImpactAnalyzerTest {
    static final ScopePath ACME = ScopePath.of("acme");
    static final ScopePath GLOBEX = ScopePath.of("globex");

    @Test
    @DisplayName("identical versions have no impact, yet every scope with policies and the global scope were compared")
    void noChangeNoImpact() {
        PolicySnapshot s = Repo.base().snapshot("a");
        Impact impact = ImpactAnalyzer.compare(s, Repo.base().snapshot("b"));
        assertThat(impact.isEmpty()).isTrue();
        assertThat(impact.enforcementChanges()).isEmpty();
        assertThat(impact.scopesCompared()).containsExactly(ScopePath.GLOBAL, ACME, GLOBEX);
    }

    @Test
    @DisplayName(
            "a global setting change shows where it is inherited, with provenance, and not where an override hides it")
    void globalSettingChangeFollowsResolution() {
        Repo head = Repo.base()
                .put(
                        "policies/token-limits.yaml",
                        Repo.tokenLimits("token-limits", "block", "    total: 2000\n    input: 800\n"));
        Impact impact = ImpactAnalyzer.compare(Repo.base().snapshot("a"), head.snapshot("b"));

        // acme overrides total, so only the global scope and globex see the new total.
        assertThat(impact.scopes()).extracting(ScopeImpact::scope).containsExactly(ScopePath.GLOBAL, GLOBEX);
        PolicyChange change = impact.scopes().get(1).changes().get(0);
        assertThat(change.policy()).isEqualTo("token-limits");
        assertThat(change.kind()).isEqualTo(PolicyChange.Kind.CHANGED);
        assertThat(change.fields()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("spec.settings.total");
            assertThat(f.before().orElseThrow().asInt()).isEqualTo(1000);
            assertThat(f.after().orElseThrow().asInt()).isEqualTo(2000);
            assertThat(f.afterFrom()).contains(ScopePath.GLOBAL);
        });
    }

    @Test
    @DisplayName(
            "an inherited field changed at the global scope is attributed to the global scope inside an overriding tenant")
    void provenanceOfInheritedField() {
        Repo head = Repo.base()
                .put(
                        "policies/token-limits.yaml",
                        Repo.tokenLimits("token-limits", "block", "    total: 1000\n    input: 900\n"));
        Impact impact = ImpactAnalyzer.compare(Repo.base().snapshot("a"), head.snapshot("b"));
        ScopeImpact acme = impact.scopes().stream()
                .filter(s -> s.scope().equals(ACME))
                .findFirst()
                .orElseThrow();
        FieldChange input = acme.changes().get(0).fields().get(0);
        assertThat(input.path()).isEqualTo("spec.settings.input");
        assertThat(input.beforeFrom()).contains(ScopePath.GLOBAL);
        assertThat(input.afterFrom()).contains(ScopePath.GLOBAL);
        // the definition that applies at acme is still acme's own
        assertThat(acme.changes().get(0).after().orElseThrow().definedAt()).isEqualTo(ACME);
    }

    @Test
    @DisplayName("adding and removing policies is reported per scope; a tenant policy added shows only in that tenant")
    void addedAndRemoved() {
        Repo head = Repo.base()
                .remove("policies/globex/keep.yaml")
                .put("policies/acme/no-delete.yaml", Repo.custom("no-delete", "block", false, "action == \"delete\""));
        Impact impact = ImpactAnalyzer.compare(Repo.base().snapshot("a"), head.snapshot("b"));
        assertThat(impact.scopes()).extracting(ScopeImpact::scope).containsExactly(ACME, GLOBEX);
        assertThat(impact.scopes().get(0).changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(PolicyChange.Kind.ADDED);
            assertThat(c.policy()).isEqualTo("no-delete");
            assertThat(c.before()).isEmpty();
        });
        assertThat(impact.scopes().get(1).changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(PolicyChange.Kind.REMOVED);
            assertThat(c.after()).isEmpty();
        });
        // globex's directory is gone in head but existed in base: still compared
        assertThat(impact.scopesCompared()).contains(GLOBEX);
    }

    @Test
    @DisplayName("a rule changed by name is a field change under spec.rules.<name>")
    void ruleChangeByName() {
        Repo head =
                Repo.base().put("policies/globex/keep.yaml", Repo.custom("keep", "warn", false, "action == \"drop\""));
        Impact impact = ImpactAnalyzer.compare(Repo.base().snapshot("a"), head.snapshot("b"));
        FieldChange f = impact.scopes().get(0).changes().get(0).fields().get(0);
        assertThat(f.path()).isEqualTo("spec.rules.r1.when");
        assertThat(f.afterFrom()).contains(GLOBEX);
    }

    @Test
    @DisplayName("enforcement and status changes are listed with their direction")
    void enforcementChanges() {
        Repo head = Repo.base()
                .put("policies/globex/keep.yaml", Repo.custom("keep", "block", false, "action == \"delete\""))
                .put(
                        "policies/acme/token-limits.yaml",
                        Repo.tokenLimits("token-limits", "block", "    total: 500\n")
                                .replace("enforcement: block", "enforcement: block\n  status: paused"));
        Impact impact = ImpactAnalyzer.compare(Repo.base().snapshot("a"), head.snapshot("b"));
        assertThat(impact.enforcementChanges()).hasSize(2);
        EnforcementChange paused = impact.enforcementChanges().get(0);
        assertThat(paused.scope()).isEqualTo(ACME);
        assertThat(paused.afterStatus()).isEqualTo(Status.PAUSED);
        assertThat(paused.effectiveBefore()).isEqualTo("block");
        assertThat(paused.effectiveAfter()).isEqualTo("paused");
        assertThat(paused.weakens()).isTrue();
        EnforcementChange promoted = impact.enforcementChanges().get(1);
        assertThat(promoted.before()).isEqualTo(Enforcement.WARN);
        assertThat(promoted.after()).isEqualTo(Enforcement.BLOCK);
        assertThat(promoted.weakens()).isFalse();
    }

    @Test
    @DisplayName("overriding a locked policy is rejected and picked out as a lock violation")
    void lockViolation() {
        Repo head = Repo.base()
                .put("policies/acme/no-gpu.yaml", Repo.custom("no-gpu", "audit", false, "flavor.type == \"gpu\""));
        CompileResult r = head.compile("b");
        assertThat(r).isInstanceOf(CompileResult.Rejected.class);
        assertThat(ImpactAnalyzer.lockViolations(r.diagnostics()))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.file()).isEqualTo("policies/acme/no-gpu.yaml");
                    assertThat(d.message()).contains("no-gpu");
                });
        // a plain parse error is not a lock violation
        CompileResult broken =
                Repo.base().put("policies/acme/bad.yaml", "apiVersion: [").compile("c");
        assertThat(broken.diagnostics()).isNotEmpty();
        assertThat(ImpactAnalyzer.lockViolations(broken.diagnostics())).isEmpty();
    }

    @Test
    @DisplayName("moving a value into an override with the same result is a change of layers, not of fields")
    void layerOnlyChange() {
        Repo head = Repo.base()
                .put(
                        "policies/globex/token-limits.yaml",
                        Repo.tokenLimits("token-limits", "block", "    total: 1000\n"));
        Impact impact = ImpactAnalyzer.compare(Repo.base().snapshot("a"), head.snapshot("b"));
        PolicyChange c = impact.scopes().get(0).changes().get(0);
        assertThat(impact.scopes().get(0).scope()).isEqualTo(GLOBEX);
        assertThat(c.kind()).isEqualTo(PolicyChange.Kind.CHANGED);
        assertThat(c.fields()).isEmpty();
        assertThat(c.after().map(a -> a.layers().size())).isEqualTo(Optional.of(2));
        assertThat(List.of(
                        c.before().orElseThrow().definedAt(),
                        c.after().orElseThrow().definedAt()))
                .containsExactly(ScopePath.GLOBAL, GLOBEX);
    }

    @Test
    @DisplayName("changing the enforcement of a paused policy is a field change, not an enforcement change")
    void pausedEnforcementIsNotAnEnforcementChange() {
        String paused = Repo.custom("keep", "warn", false, "action == \"delete\"")
                .replace("enforcement: warn", "enforcement: warn\n  status: paused");
        Repo base = Repo.base().put("policies/globex/keep.yaml", paused);
        Repo head =
                Repo.base().put("policies/globex/keep.yaml", paused.replace("enforcement: warn", "enforcement: block"));
        Impact impact = ImpactAnalyzer.compare(base.snapshot("a"), head.snapshot("b"));
        assertThat(impact.enforcementChanges()).isEmpty();
        assertThat(impact.scopes().get(0).changes().get(0).fields())
                .extracting(FieldChange::path)
                .containsExactly("spec.enforcement");
    }
}
