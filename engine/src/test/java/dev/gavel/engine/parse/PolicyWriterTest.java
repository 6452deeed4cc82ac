package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.Category;
import dev.gavel.engine.model.CircuitBreaker;
import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Metadata;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.ResourceType;
import dev.gavel.engine.model.Rule;
import dev.gavel.engine.model.Spec;
import dev.gavel.engine.model.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolicyWriterTest {

    static Policy roundTrip(Policy p) {
        String yaml = PolicyWriter.toYaml(p);
        ParseResult<Policy> r = PolicyParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "policies/p.yaml");
        assertThat(r.diagnostics()).as(yaml).filteredOn(Diagnostic::isError).isEmpty();
        return r.valueIfValid().orElseThrow();
    }

    static Policy policy(String text, String when, Map<String, String> labels, String body) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.put("body", body);
        settings.put("version", "1.0.0");
        Metadata md = new Metadata(
                "p",
                Optional.of("P"),
                Optional.of(text),
                Optional.of(text),
                Optional.of(Category.OTHER),
                labels,
                Optional.of(Period.ofDays(30)),
                Optional.of(LocalDate.of(2026, 1, 1)));
        Spec spec = Spec.of(
                PolicyType.DOCUMENT,
                Enforcement.AUDIT,
                Status.PAUSED,
                true,
                List.of(ResourceType.MODEL, ResourceType.JOB),
                settings,
                List.of(new Rule("r", when, Effect.WARN, text)),
                Optional.of(new CircuitBreaker(1.0, Duration.ofSeconds(90), 5, Optional.of(3))));
        return new Policy(md, spec);
    }

    @Property(tries = 300)
    @Label("any text in descriptions, conditions, messages, labels and bodies survives writing and parsing")
    void arbitraryTextRoundTrips(
            @ForAll("text") String text,
            @ForAll("text") String when,
            @ForAll("text") String label,
            @ForAll("text") String body) {
        // owner, when and message must not be empty (schema); the others may be
        String nonEmpty = text.isEmpty() ? "x" : text;
        Policy p = policy(nonEmpty, when.isEmpty() ? "y" : when, Map.of("k", label), body);
        assertThat(roundTrip(p)).isEqualTo(p);
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> tricky = Arbitraries.of(
                "off",
                "yes",
                "no",
                "on",
                "null",
                "~",
                "",
                " ",
                "true",
                "1",
                "0x10",
                "1.0",
                "-1",
                "1e3",
                ".nan",
                "2026-01-01",
                "P90D",
                "!not",
                "&a",
                "*a",
                "# x",
                "a: b",
                "- x",
                "[x]",
                "{x}",
                "'q'",
                "\"q\"",
                "|",
                ">",
                "x\n",
                "\nx",
                "  lead",
                "trail  ",
                "a\n  b\n",
                "tab\there",
                "%x",
                "@x",
                "`x`",
                "?",
                "a #b",
                "ünïcødé ✓",
                "line1\nline2\n\n",
                "x\r\ny");
        Arbitrary<String> random = Arbitraries.strings()
                .all()
                .ofMaxLength(40)
                .filter(s -> s.codePoints()
                                .allMatch(c -> c == '\n'
                                        || c == '\t'
                                        || (c >= 0x20
                                                && c != 0x7f
                                                && !(c >= 0x80 && c < 0xa0)
                                                && c != 0xfeff
                                                && c < 0xfffe
                                                && !Character.isSurrogate((char) c)))
                        && !s.contains("\r"));
        return Arbitraries.oneOf(tricky, random);
    }

    @Test
    @DisplayName("output is canonical: fixed order, defaults omitted, literal blocks for multi-line text")
    void canonicalOutput() {
        Policy p = new Policy(
                Metadata.named("p"),
                Spec.of(
                        PolicyType.CUSTOM,
                        Enforcement.WARN,
                        Status.ACTIVE,
                        false,
                        List.of(),
                        null,
                        List.of(new Rule("r", "action == \"deploy\"", Effect.DENY, "no")),
                        Optional.empty()));
        assertThat(PolicyWriter.toYaml(p)).isEqualTo("""
                apiVersion: gavel/v1
                kind: Policy
                metadata:
                  name: p
                spec:
                  type: custom
                  enforcement: warn
                  rules:
                    - name: r
                      when: action == "deploy"
                      effect: deny
                      message: no
                """.replace("message: no", "message: \"no\""));
        assertThat(roundTrip(p)).isEqualTo(p);
    }

    @Test
    @DisplayName("the schema comment points from the file's directory to schema/policy.schema.json")
    void schemaRef() {
        assertThat(PolicyWriter.schemaRefFor("policies/x.yaml")).isEqualTo("../schema/policy.schema.json");
        assertThat(PolicyWriter.schemaRefFor("policies/acme/chat/x.yaml"))
                .isEqualTo("../../../schema/policy.schema.json");
        Policy p = new Policy(
                Metadata.named("x"), Spec.of(PolicyType.FLAVOR, Enforcement.OFF, null, false, null, null, null, null));
        assertThat(PolicyWriter.toYaml(p, "policies/acme/x.yaml"))
                .startsWith("# yaml-language-server: $schema=../../schema/policy.schema.json\napiVersion: gavel/v1\n");
    }
}
