package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.Rule;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.model.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
    static ParseResult<Policy> parse(String yaml, String path) {
        return PolicyParser.parse(yaml.getBytes(StandardCharsets.UTF_8), path);
    }

    static Policy valid(String yaml, String path) {
        ParseResult<Policy> r = parse(yaml, path);
        assertThat(r.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
        return r.valueIfValid().orElseThrow();
    }

    @Test
    @DisplayName("plain off/yes/dates stay strings (YAML 1.2 core schema), so 'enforcement: off' works")
    void yaml12Scalars() {
        Policy p = valid("""
                apiVersion: gavel/v1
                kind: Policy
                metadata:
                  name: p
                  description: yes
                  owner: no
                  lastReviewed: 2026-01-31
                spec:
                  type: flavor
                  enforcement: off
                """, "policies/p.yaml");
        assertThat(p.spec().enforcement()).isEqualTo(Enforcement.OFF);
        assertThat(p.metadata().description()).contains("yes");
        assertThat(p.metadata().owner()).contains("no");
    }

    @Test
    @DisplayName("the position of a when condition points at its first character for plain, quoted and block scalars")
    void whenPositions() {
        String yaml = """
                apiVersion: gavel/v1
                kind: Policy
                metadata: {name: p}
                spec:
                  type: custom
                  enforcement: warn
                  rules:
                    - name: plain
                      when: action == "x"
                      effect: deny
                      message: m
                    - name: quoted
                      when: "action == 'x'"
                      effect: deny
                      message: m
                    - name: block
                      when: |
                        action == "deploy" &&
                          scope.env == "prod"
                      effect: deny
                      message: m
                """;
        Policy p = valid(yaml, "policies/p.yaml");
        List<Rule> rules = p.spec().rules();
        assertThat(rules.get(0).whenLocation()).isEqualTo(new SourceLocation("policies/p.yaml", 9, 13));
        assertThat(rules.get(1).whenLocation()).isEqualTo(new SourceLocation("policies/p.yaml", 13, 14));
        assertThat(rules.get(2).whenLocation()).isEqualTo(new SourceLocation("policies/p.yaml", 18, 9));
        String[] lines = yaml.split("\n");
        Rule block = rules.get(2);
        int offset = block.when().indexOf("scope.env");
        SourceLocation at = block.locateInWhen(offset);
        assertThat(lines[at.line() - 1].substring(at.column() - 1)).startsWith("scope.env == \"prod\"");
        Rule plain = rules.get(0);
        SourceLocation x = plain.locateInWhen(plain.when().indexOf("\"x\""));
        assertThat(lines[x.line() - 1].substring(x.column() - 1)).isEqualTo("\"x\"");
    }

    @Test
    @DisplayName("a custom policy without rules parses with a warning")
    void customWithoutRulesWarns() {
        ParseResult<Policy> r = parse("""
                apiVersion: gavel/v1
                kind: Policy
                metadata: {name: p}
                spec: {type: custom, enforcement: block}
                """, "policies/acme/p.yaml");
        assertThat(r.isValid()).isTrue();
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.message()).startsWith("spec.type: a custom policy decides through its rules");
            assertThat(d.line()).isEqualTo(4);
        });
    }

    @Test
    @DisplayName("defaults: status active, not locked, all resource types, no settings, no rules")
    void defaults() {
        Policy p = valid("""
                apiVersion: gavel/v1
                kind: Policy
                metadata: {name: p}
                spec: {type: maxTokens, enforcement: audit}
                """, "policies/p.yaml");
        assertThat(p.spec().status().value()).isEqualTo("active");
        assertThat(p.spec().locked()).isFalse();
        assertThat(p.spec().resourceTypes()).isEmpty();
        assertThat(p.spec().rawSettings().isEmpty()).isTrue();
        assertThat(p.spec().settings())
                .isEqualTo(new Settings.MaxTokens(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()));
        assertThat(p.metadata().labels()).isEmpty();
    }

    @Test
    @DisplayName("diagnostics are sorted by position and formatted file:line:col: severity: message")
    void diagnosticsSortedAndFormatted() {
        ParseResult<Policy> r = parse("""
                apiVersion: gavel/v1
                kind: Policy
                metadata:
                  name: p
                  category: nope
                spec:
                  type: flavor
                  enforcement: blok
                """, "policies/p.yaml");
        assertThat(r.diagnostics())
                .extracting(Diagnostic::format)
                .containsExactly(
                        "policies/p.yaml:5:13: error: metadata.category: 'nope' is not one of security, privacy, hr, compliance, "
                                + "finance, operations, other",
                        "policies/p.yaml:8:16: error: spec.enforcement: 'blok' is not one of off, audit, warn, block");
        assertThat(r.diagnostics())
                .extracting(Diagnostic::field)
                .containsExactly("metadata.category", "spec.enforcement");
    }

    @Test
    @DisplayName("an unknown field is reported at its key")
    void unknownFieldAtKey() {
        ParseResult<Policy> r = parse("""
                apiVersion: gavel/v1
                kind: Policy
                metadata: {name: p}
                spec:
                  type: heartbeat
                  enforcement: audit
                  settings:
                    interval: 30
                    intervall: 60
                """, "policies/p.yaml");
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(9);
            assertThat(d.column()).isEqualTo(5);
            assertThat(d.message())
                    .isEqualTo("spec.settings.intervall: unknown field 'intervall'; expected one of "
                            + "interval, resource, clusterId, resourceIds, resourceName, runcRoot, jobFilter");
        });
    }

    @Test
    @DisplayName("without a path the file-name checks are skipped and diagnostics have no file")
    void noPath() {
        ParseResult<Policy> r = parse("""
                apiVersion: gavel/v1
                kind: Policy
                metadata: {name: anything}
                spec: {type: flavor, enforcement: warn}
                """, null);
        assertThat(r.isValid()).isTrue();
        assertThat(r.valueIfValid().orElseThrow().name()).isEqualTo("anything");
    }

    @Test
    @DisplayName("a UTF-8 byte order mark is accepted")
    void byteOrderMark() {
        Policy p = valid(
                "\uFEFFapiVersion: gavel/v1\nkind: Policy\nmetadata: {name: p}\nspec: {type: flavor, enforcement: warn}\n",
                "policies/p.yaml");
        assertThat(p.name()).isEqualTo("p");
    }

    @Test
    @DisplayName("validateSettings checks merged settings against the type's schema; fromJson types them")
    void mergedSettings() throws Exception {
        ObjectNode merged = (ObjectNode)
                new ObjectMapper().readTree("{\"input\": 4000, \"total\": 50000, \"granularity\": \"request\"}");
        assertThat(PolicyParser.validateSettings(PolicyType.MAX_TOKENS, merged)).isEmpty();
        Settings.MaxTokens s = (Settings.MaxTokens) Settings.fromJson(PolicyType.MAX_TOKENS, merged);
        assertThat(s.input()).contains(4000L);
        assertThat(s.total()).contains(50000L);

        ObjectNode bad = (ObjectNode)
                new ObjectMapper().readTree("{\"allowed\": [{\"name\": \"EU\", \"type\": \"planet\"}], \"x\": 1}");
        assertThat(PolicyParser.validateSettings(PolicyType.LOCATION, bad))
                .extracting(Diagnostic::message)
                .containsExactlyInAnyOrder(
                        "settings.allowed[0].type: 'planet' is not one of location, country, continent",
                        "settings.x: unknown field 'x'; expected one of allowed");
    }

    @Test
    @DisplayName("the same bytes parse to equal policies (deterministic, comparable values)")
    void deterministic() {
        String yaml = """
                apiVersion: gavel/v1
                kind: Policy
                metadata: {name: p, labels: {b: "2", a: "1"}}
                spec:
                  type: location
                  enforcement: warn
                  settings: {allowed: [{name: DE, type: country}]}
                """;
        assertThat(valid(yaml, "policies/p.yaml")).isEqualTo(valid(yaml, "policies/p.yaml"));
        assertThat(valid(yaml, "policies/p.yaml").metadata().labels().keySet()).containsExactly("a", "b");
    }
}
