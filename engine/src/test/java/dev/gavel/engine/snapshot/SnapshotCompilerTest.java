package dev.gavel.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.resolve.TemplatePolicies;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotCompilerTest {

    static Map<String, byte[]> repo(String... pathsAndYaml) {
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < pathsAndYaml.length; i += 2) {
            files.put(pathsAndYaml[i], pathsAndYaml[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    static String policy(String name, String spec) {
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: " + name + "}\nspec:\n"
                + spec.stripIndent().indent(2);
    }

    static PolicySnapshot compiled(Map<String, byte[]> files) {
        CompileResult r = SnapshotCompiler.compile("c1", files);
        assertThat(r).as("diagnostics: %s", r.diagnostics()).isInstanceOf(CompileResult.Compiled.class);
        return ((CompileResult.Compiled) r).snapshot();
    }

    static Request request(
            String scope,
            String resourceType,
            String action,
            String location,
            String country,
            String continent,
            String flavorName,
            String flavorType,
            Long input,
            Long output) {
        return new Request(
                ScopePath.parse(scope).segments(),
                new Request.Resource(resourceType, "r", Map.of()),
                action,
                new Request.Location(location, country, continent),
                new Request.Flavor(flavorName, flavorType),
                new Request.Tokens(input, output, null),
                Map.of());
    }

    static Request ok(String scope) {
        return request(scope, "model", "deploy", "eu-west-1", "IE", "EU", "c7", "cpu", 10L, 10L);
    }

    @Nested
    @DisplayName("built-in types")
    class BuiltIns {
        final PolicySnapshot snap = compiled(repo(
                "policies/where.yaml", policy("where", """
            type: location
            enforcement: block
            settings:
              allowed: [{name: EU, type: continent}, {name: CH, type: country}, {name: us-gov-1, type: location}]
            """),
                "policies/hardware.yaml", policy("hardware", """
            type: flavor
            enforcement: block
            settings:
              allowed: [{type: cpu}, {name: h100, type: gpu}]
            """),
                "policies/tokens.yaml", policy("tokens", """
            type: maxTokens
            enforcement: block
            settings: {input: 1000, output: 500, total: 1200, ratioInputOverOutput: 4}
            """),
                "policies/beat.yaml", policy("beat", """
            type: heartbeat
            enforcement: block
            settings: {interval: 30, resource: pods}
            """),
                "policies/doc.yaml", policy("doc", """
            type: document
            enforcement: block
            settings: {body: "# Use", version: 1.0.0}
            """)));

        @ParameterizedTest(name = "{0}/{1}/{2} -> {3}")
        @CsvSource({
            "eu-west-1, IE, EU, allow",
            "zurich-1,  CH, EU, allow",
            "zurich-2,  CH, ,   allow",
            "us-gov-1,  US, NA, allow",
            "us-east-1, US, NA, deny",
            "tokyo-1,   JP, AS, deny"
        })
        @DisplayName("location allows by continent, country or location name and denies the rest")
        void location(String name, String country, String continent, String expected) {
            Evaluation e =
                    snap.evaluate(request("acme", "model", "deploy", name, country, continent, "c7", "cpu", 1L, 1L));
            assertThat(e.decision().value()).isEqualTo(expected);
            if (expected.equals("deny")) {
                assertThat(e.matches()).singleElement().satisfies(m -> {
                    assertThat(m.policy()).isEqualTo("where");
                    assertThat(m.rule()).isEqualTo("settings.allowed");
                    assertThat(m.message()).contains("location is not allowed");
                });
            }
        }

        @ParameterizedTest(name = "{0}/{1} -> {2}")
        @CsvSource({"c7, cpu, allow", "h100, gpu, allow", "a100, gpu, deny", ", gpu, deny", "m1, tpu, deny"})
        @DisplayName("flavor allows by type, or by name and type")
        void flavor(String name, String type, String expected) {
            Evaluation e = snap.evaluate(request("acme", "model", "deploy", "x", "IE", "EU", name, type, 1L, 1L));
            assertThat(e.decision().value()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "in={0} out={1} -> {2} {3}")
        @CsvSource({
            "900, 250, allow, ''",
            "1001, 199, deny, settings.input settings.ratioInputOverOutput",
            "600, 501, deny, settings.output",
            "800, 450, deny, settings.total",
            "401, 100, deny, settings.ratioInputOverOutput",
            "400, 100, allow, ''",
            "1, 0, deny, settings.ratioInputOverOutput"
        })
        @DisplayName("maxTokens denies over each limit and over the input/output ratio")
        void maxTokens(long in, long out, String expected, String rules) {
            Evaluation e = snap.evaluate(request("acme", "model", "deploy", "x", "IE", "EU", "c7", "cpu", in, out));
            assertThat(e.decision().value()).isEqualTo(expected);
            assertThat(e.matches())
                    .extracting(Match::rule)
                    .containsExactlyInAnyOrderElementsOf(rules.isBlank() ? List.of() : List.of(rules.split(" ")));
        }

        @Test
        @DisplayName("heartbeat and document policies never decide: a heartbeat policy only selects workloads")
        void settingsOnly() {
            assertThat(snap.partitions().get("").rules())
                    .extracting(r -> r.policy())
                    .doesNotContain("doc");
            assertThat(snap.partitions().get("").rules())
                    .filteredOn(r -> r.policy().equals("beat"))
                    .extracting(r -> r.kind())
                    .containsOnly(dev.gavel.engine.compile.RuleRef.Kind.SELECT);
            assertThat(snap.evaluate(ok("acme")).matches())
                    .extracting(Match::policy)
                    .doesNotContain("beat");
            assertThat(snap.resolve(ScopePath.parse("acme")))
                    .extracting(p -> p.name())
                    .contains("beat", "doc");
        }

        @Test
        @DisplayName("a request without the fields a built-in policy needs reports them missing")
        void missingFields() {
            Request bare = new Request(
                    List.of("acme"),
                    new Request.Resource("model", "m", Map.of()),
                    "deploy",
                    null,
                    null,
                    null,
                    Map.of());
            Evaluation e = snap.evaluate(bare);
            assertThat(e.missing())
                    .extracting(m -> m.policy() + ":" + m.field())
                    .containsExactlyInAnyOrder(
                            "where:location",
                            "hardware:flavor",
                            "tokens:tokens.input",
                            "tokens:tokens.output",
                            "tokens:tokens.total",
                            "tokens:tokens");
            assertThat(e.matches()).isEmpty();
        }
    }

    @Nested
    @DisplayName("decisions by enforcement")
    class Enforcements {
        static String guard(String enforcement, String status, String effect) {
            return policy("guard", """
          type: custom
          enforcement: %s
          status: %s
          rules:
            - {name: no-deploy, when: 'action == "deploy"', effect: %s, message: no deploys}
          """.formatted(enforcement, status, effect));
        }

        @ParameterizedTest(name = "{0}, {1}, effect {2} -> {3} (matched: {4})")
        @CsvSource({
            "block, active, deny, deny, true",
            "warn,  active, deny, warn, true",
            "audit, active, deny, allow, true",
            "off,   active, deny, allow, false",
            "block, paused, deny, allow, false",
            "block, active, warn, warn, true",
            "warn,  active, warn, warn, true",
            "audit, active, warn, allow, true"
        })
        @DisplayName("deny / warn / allow per DESIGN.md section 3")
        void decision(String enforcement, String status, String effect, String expected, boolean matched) {
            PolicySnapshot snap = compiled(repo("policies/guard.yaml", guard(enforcement, status, effect)));
            Evaluation e = snap.evaluate(ok("acme.chat"));
            assertThat(e.decision().value()).isEqualTo(expected);
            assertThat(e.matches()).hasSize(matched ? 1 : 0);
            assertThat(e.commit()).isEqualTo("c1");
            assertThat(snap.evaluate(request("acme", "model", "invoke", "x", "IE", "EU", "c", "cpu", 1L, 1L))
                            .decision())
                    .isEqualTo(Decision.ALLOW);
        }

        @Test
        @DisplayName("an open circuit breaker turns a blocking policy into audit: logged, never denying")
        void breakerOpenIsAudit() {
            PolicySnapshot snap = compiled(repo("policies/guard.yaml", guard("block", "active", "deny")));
            CircuitBreakers open = (policy, at) -> policy.equals("guard") && at.isGlobal();
            Evaluation e = snap.evaluate(ok("acme"), open);
            assertThat(e.decision()).isEqualTo(Decision.ALLOW);
            assertThat(e.matches()).singleElement().satisfies(m -> {
                assertThat(m.enforcement()).isEqualTo(Enforcement.AUDIT);
                assertThat(m.breakerOpen()).isTrue();
            });
        }
    }

    @Nested
    @DisplayName("scopes")
    class Scopes {
        final PolicySnapshot snap = compiled(repo(
                "policies/hw.yaml", policy("hw", """
            type: flavor
            enforcement: block
            settings: {allowed: [{type: cpu}]}
            """),
                "policies/acme/chat/bot/prod/hw.yaml", policy("hw", """
            type: flavor
            enforcement: block
            settings: {allowed: [{type: cpu}, {type: gpu}]}
            """),
                "policies/acme/chat/bot/dev/hw.yaml", policy("hw", """
            type: flavor
            enforcement: warn
            """),
                "policies/acme/only-models.yaml", policy("only-models", """
            type: custom
            enforcement: block
            resourceTypes: [model]
            rules:
              - {name: no-delete, when: 'action == "delete"', effect: deny, message: no}
            """)));

        @ParameterizedTest(name = "{0} with a {1} -> {2}")
        @CsvSource({
            "acme.chat.bot.prod, gpu, allow",
            "acme.chat.bot.dev,  gpu, warn",
            "acme.chat.bot.qa,   gpu, deny",
            "acme.chat.bot,      gpu, deny",
            "acme.chat.bot.prod, cpu, allow",
            "globex,             gpu, deny",
            "'',                 gpu, deny"
        })
        @DisplayName("the nearest definition decides: overrides below replace a global policy, and only there")
        void nearestWins(String scope, String flavorType, String expected) {
            Evaluation e = snap.evaluate(request(scope, "model", "deploy", "x", "IE", "EU", "f", flavorType, 1L, 1L));
            assertThat(e.decision().value()).isEqualTo(expected);
            assertThat(e.matches()).allSatisfy(m -> assertThat(m.policy()).isEqualTo("hw"));
            assertThat(e.matches()).hasSizeLessThanOrEqualTo(1);
        }

        @Test
        @DisplayName("resourceTypes limits every rule of a policy to those resource types")
        void resourceTypes() {
            assertThat(snap.evaluate(request("acme.x", "model", "delete", "x", "IE", "EU", "f", "cpu", 1L, 1L))
                            .decision())
                    .isEqualTo(Decision.DENY);
            assertThat(snap.evaluate(request("acme.x", "agent", "delete", "x", "IE", "EU", "f", "cpu", 1L, 1L))
                            .decision())
                    .isEqualTo(Decision.ALLOW);
            assertThat(snap.evaluate(request("globex", "model", "delete", "x", "IE", "EU", "f", "cpu", 1L, 1L))
                            .decision())
                    .isEqualTo(Decision.ALLOW);
        }

        @Test
        @DisplayName("a scope deeper than the repository's levels is refused")
        void tooDeep() {
            assertThatThrownBy(() -> snap.evaluate(ok("a.b.c.d.e")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("5 levels");
        }
    }

    @Nested
    @DisplayName("compiling commits")
    class Commits {
        @Test
        @DisplayName("a commit that does not compile never replaces the served snapshot")
        void brokenCommitKeepsLastGood() {
            ServedSnapshot served = new ServedSnapshot();
            Map<String, byte[]> good = TemplatePolicies.files();
            assertThat(served.offer(SnapshotCompiler.compile("good", good))).isTrue();

            Map<String, byte[]> broken = new TreeMap<>(good);
            broken.put("policies/acme/bad.yaml", policy("bad", """
          type: custom
          enforcement: block
          rules:
            - {name: r, when: 'resource.flavour == "gpu"', effect: deny, message: m}
          """).getBytes(StandardCharsets.UTF_8));
            CompileResult rejected = SnapshotCompiler.compile("broken", broken, served.current());
            assertThat(served.offer(rejected)).isFalse();
            assertThat(served.current().orElseThrow().commit()).isEqualTo("good");
            assertThat(served.newest().orElseThrow().commit()).isEqualTo("broken");
            assertThat(rejected.diagnostics()).singleElement().satisfies(d -> {
                assertThat(d.file()).isEqualTo("policies/acme/bad.yaml");
                assertThat(d.line()).isEqualTo(8);
                // "    - {name: r, when: '" is 23 characters: the condition starts in column 24.
                assertThat(d.column()).isEqualTo(24);
                assertThat(d.message())
                        .contains("unknown field 'resource.flavour'")
                        .contains("did you mean");
            });
        }

        @Test
        @DisplayName("a one-tenant change rebuilds only that tenant's knowledge base")
        void oneTenantChangeRebuildsOnePartition() {
            Map<String, byte[]> files = TemplatePolicies.files();
            CompileResult.Compiled first = (CompileResult.Compiled) SnapshotCompiler.compile("a", files);
            assertThat(first.rebuiltPartitions()).contains("", "acme", "globex");

            Map<String, byte[]> changed = new TreeMap<>(files);
            changed.put("policies/globex/extra.yaml", policy("extra", """
          type: custom
          enforcement: block
          rules:
            - {name: r, when: 'action == "explode"', effect: deny, message: no}
          """).getBytes(StandardCharsets.UTF_8));
            CompileResult.Compiled second =
                    (CompileResult.Compiled) SnapshotCompiler.compile("b", changed, Optional.of(first.snapshot()));
            assertThat(second.rebuiltPartitions()).containsExactly("globex");
            assertThat(second.snapshot().partitions().get("acme").kieBase())
                    .isSameAs(first.snapshot().partitions().get("acme").kieBase());
            Request explode = new Request(
                    List.of("globex"),
                    new Request.Resource("model", "m", Map.of()),
                    "explode",
                    new Request.Location("x", "IE", "EU"),
                    new Request.Flavor("c", "cpu"),
                    new Request.Tokens(1L, 1L, null),
                    Map.of());
            assertThat(second.snapshot().evaluate(explode).decision()).isEqualTo(Decision.DENY);
            assertThat(first.snapshot().evaluate(explode).decision()).isEqualTo(Decision.ALLOW);
        }

        @Test
        @DisplayName("an enforcement change reuses the knowledge base yet decides with the new enforcement")
        void enforcementChangeReusesBase() {
            Map<String, byte[]> v1 = repo("policies/guard.yaml", Enforcements.guard("warn", "active", "deny"));
            Map<String, byte[]> v2 = repo("policies/guard.yaml", Enforcements.guard("block", "active", "deny"));
            CompileResult.Compiled first = (CompileResult.Compiled) SnapshotCompiler.compile("a", v1);
            CompileResult.Compiled second =
                    (CompileResult.Compiled) SnapshotCompiler.compile("b", v2, Optional.of(first.snapshot()));
            assertThat(second.rebuiltPartitions()).isEmpty();
            assertThat(first.snapshot().evaluate(ok("acme")).decision()).isEqualTo(Decision.WARN);
            assertThat(second.snapshot().evaluate(ok("acme")).decision()).isEqualTo(Decision.DENY);
        }

        @Test
        @DisplayName("a scope directory deeper than gavel.yaml's levels is a diagnostic on the file")
        void deeperThanLevels() {
            CompileResult r = SnapshotCompiler.compile(
                    "x",
                    repo(
                            "gavel.yaml",
                            "apiVersion: gavel/v1\nkind: Repository\nlevels: [tenant, env]\nbranch: main\n",
                            "policies/a/b/c/p.yaml",
                            policy("p", "type: custom\nenforcement: block\n")));
            assertThat(r).isInstanceOf(CompileResult.Rejected.class);
            assertThat(r.diagnostics()).extracting(Diagnostic::file).containsExactly("policies/a/b/c/p.yaml");
            assertThat(r.diagnostics().get(0).message())
                    .contains("3 levels deep")
                    .contains("tenant, env");
        }
    }
}
