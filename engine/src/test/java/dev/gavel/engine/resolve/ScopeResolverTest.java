package dev.gavel.engine.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.model.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScopeResolverTest {
    private final ScopeResolver resolver = new ScopeResolver(TemplatePolicies.policySet());

    @Test
    @DisplayName("the template resolves without lock or type diagnostics")
    void templateIsClean() {
        assertThat(resolver.diagnostics()).isEmpty();
    }

    @Test
    @DisplayName("settings deep-merge from global through tenant to env; the nearest enforcement wins")
    void tokenLimitsAcrossFourLevels() {
        ResolvedPolicy dev = resolver.resolve(ScopePath.parse("acme.chat.support-bot.dev"), "token-limits")
                .orElseThrow();
        Settings.MaxTokens s = (Settings.MaxTokens) dev.policy().spec().settings();
        assertThat(s.total()).contains(20000L); // env
        assertThat(s.input()).contains(100000L); // global, untouched by acme and dev
        assertThat(s.ratioInputOverOutput()).contains(50L);
        assertThat(dev.policy().spec().enforcement()).isEqualTo(Enforcement.WARN);
        assertThat(dev.layers())
                .extracting(l -> l.scope().dotted())
                .containsExactly("", "acme", "acme.chat", "acme.chat.support-bot", "acme.chat.support-bot.dev");
        assertThat(s.output()).contains(12000L); // agent, over the app's 8000
        assertThat(dev.provenance())
                .containsEntry("spec.settings.output", ScopePath.parse("acme.chat.support-bot"))
                .containsEntry("spec.settings.total", ScopePath.parse("acme.chat.support-bot.dev"))
                .containsEntry("spec.settings.input", ScopePath.GLOBAL)
                .containsEntry("spec.enforcement", ScopePath.parse("acme.chat.support-bot.dev"));
        assertThat(dev.policy().spec().circuitBreaker()).isPresent(); // inherited from global

        ResolvedPolicy acme =
                resolver.resolve(ScopePath.parse("acme.search"), "token-limits").orElseThrow();
        assertThat(((Settings.MaxTokens) acme.policy().spec().settings()).total())
                .contains(50000L);
        assertThat(acme.definedAt()).isEqualTo(ScopePath.parse("acme"));
    }

    @Test
    @DisplayName("a scope with no directory resolves through its nearest ancestors")
    void missingScopeResolvesThroughAncestors() {
        List<ResolvedPolicy> fresh = resolver.resolve(ScopePath.parse("acme.chat.new-agent.dev"));
        List<ResolvedPolicy> chat = resolver.resolve(ScopePath.parse("acme.chat"));
        assertThat(fresh).isEqualTo(chat);
        assertThat(fresh).extracting(ResolvedPolicy::name).contains("token-limits", "eu-residency", "weekend-freeze");
        ResolvedPolicy freeze = fresh.stream()
                .filter(p -> p.name().equals("weekend-freeze"))
                .findFirst()
                .orElseThrow();
        assertThat(freeze.policy().spec().status()).isEqualTo(Status.PAUSED);
    }

    @Test
    @DisplayName("the global scope resolves to the global definitions only; other tenants do not leak in")
    void tenantsDoNotLeak() {
        assertThat(resolver.resolve(ScopePath.GLOBAL))
                .allMatch(p -> p.definedAt().isGlobal());
        assertThat(resolver.resolve(ScopePath.parse("globex.app")))
                .extracting(ResolvedPolicy::name)
                .doesNotContain("weekend-freeze", "model-card-standard");
    }

    @Test
    @DisplayName("rules are replaced by name: an override's rule replaces the inherited one, others stay")
    void rulesReplacedByName() {
        PolicyDefinition top = TemplatePolicies.definition("policies/guard.yaml", """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: guard}
        spec:
          type: custom
          enforcement: warn
          rules:
            - {name: a, when: 'action == "x"', effect: deny, message: top a}
            - {name: b, when: 'action == "y"', effect: deny, message: top b}
        """);
        PolicyDefinition low = TemplatePolicies.definition("policies/acme/guard.yaml", """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: guard}
        spec:
          type: custom
          enforcement: block
          rules:
            - {name: b, when: 'action == "z"', effect: warn, message: acme b}
            - {name: c, when: 'action == "w"', effect: deny, message: acme c}
        """);
        ScopeResolver r = new ScopeResolver(PolicySet.of(List.of(top, low)));
        ResolvedPolicy acme = r.resolve(ScopePath.parse("acme.x"), "guard").orElseThrow();
        assertThat(acme.policy().spec().rules())
                .extracting(rule -> rule.name() + ":" + rule.message())
                .containsExactly("a:top a", "b:acme b", "c:acme c");
        assertThat(acme.provenance())
                .containsEntry("spec.rules.a", ScopePath.GLOBAL)
                .containsEntry("spec.rules.b", ScopePath.parse("acme"));
        assertThat(r.resolve(ScopePath.parse("other"), "guard")
                        .orElseThrow()
                        .policy()
                        .spec()
                        .rules())
                .hasSize(2);
    }

    @Test
    @DisplayName("overriding a locked policy below its scope is a diagnostic on the offending file")
    void lockedCannotBeOverridden() {
        List<PolicyDefinition> defs = new ArrayList<>(TemplatePolicies.definitions(TemplatePolicies.files()));
        defs.add(TemplatePolicies.definition("policies/acme/chat/no-sanctioned-regions.yaml", """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: no-sanctioned-regions}
        spec: {type: custom, enforcement: audit}
        """));
        ScopeResolver r = new ScopeResolver(PolicySet.of(defs));
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("policies/acme/chat/no-sanctioned-regions.yaml");
            assertThat(d.message())
                    .contains("locked policy 'no-sanctioned-regions'")
                    .contains("the global scope");
            assertThat(d.isError()).isTrue();
        });
    }

    @Test
    @DisplayName("an override that changes the policy type is a diagnostic")
    void typeChangeIsRejected() {
        List<PolicyDefinition> defs = new ArrayList<>(TemplatePolicies.definitions(TemplatePolicies.files()));
        defs.add(TemplatePolicies.definition("policies/globex/token-limits.yaml", """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: token-limits}
        spec: {type: custom, enforcement: audit}
        """));
        ScopeResolver r = new ScopeResolver(PolicySet.of(defs));
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("policies/globex/token-limits.yaml");
            assertThat(d.message()).startsWith("spec.type: 'custom' overrides 'token-limits' of type 'maxTokens'");
        });
        assertThat(r.resolve(ScopePath.parse("globex"), "token-limits")).isEqualTo(Optional.empty());
    }
}
