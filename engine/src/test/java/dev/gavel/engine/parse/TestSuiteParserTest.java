package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.PolicyTestSuite;
import dev.gavel.engine.model.ScopePath;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestSuiteParserTest {
    static final String HEAD = """
            apiVersion: gavel/v1
            kind: PolicyTest
            name: t
            tests:
              - name: one
                scope: acme.chat
            """;

    static ParseResult<PolicyTestSuite> parse(String yaml) {
        return TestSuiteParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "tests/t.yaml");
    }

    @Test
    @DisplayName("a minimal suite parses; matched is absent unless given")
    void minimal() {
        PolicyTestSuite s = parse(HEAD + "    request: {action: invoke, attributes: {ticket: CHG-1, urgent: true}}\n"
                        + "    expect: {decision: warn}\n")
                .valueIfValid()
                .orElseThrow();
        assertThat(s.name()).isEqualTo("t");
        assertThat(s.tests()).singleElement().satisfies(c -> {
            assertThat(c.scope()).isEqualTo(ScopePath.of("acme", "chat"));
            assertThat(c.decision()).isEqualTo(Decision.WARN);
            assertThat(c.matched()).isEmpty();
            assertThat(c.request().at("/attributes/urgent").asBoolean()).isTrue();
            assertThat(c.location().line()).isEqualTo(5);
        });
    }

    @Test
    @DisplayName("the global scope is written as an empty string")
    void globalScope() {
        PolicyTestSuite s = parse(HEAD.replace("scope: acme.chat", "scope: \"\"")
                        + "    request: {}\n    expect: {decision: allow, matched: []}\n")
                .valueIfValid()
                .orElseThrow();
        assertThat(s.tests().get(0).scope().isGlobal()).isTrue();
        assertThat(s.tests().get(0).matched())
                .hasValueSatisfying(m -> assertThat(m).isEmpty());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "    request: {resource: {kind: model}}|7|tests[0].request.resource.kind: unknown field 'kind'; expected one of type, name, labels",
                "    request: {}\\n    expect: {decision: denied}|8|tests[0].expect.decision: 'denied' is not one of allow, warn, deny",
                "    request: {tokens: {input: many}}|7|tests[0].request.tokens.input: expected an integer, got the string 'many'",
                "    request: {}|5|tests[0]: missing required field 'expect'",
                "    request: {}\\n    expect: {decision: deny}\\n    extra: 1|9|tests[0].extra: unknown field 'extra'",
                "    request: {flavor: {type: tpu}}|7|tests[0].request.flavor.type: 'tpu' is not one of cpu, gpu",
            })
    @DisplayName("a bad test file is rejected with a positioned message")
    void invalid(String tail, int line, String fragment) {
        // CsvSource trims the leading indentation; every line of a tail belongs under the test case
        String indented = "    " + tail.strip().replace("\\n", "\n").replaceAll("\n\\s*", "\n    ");
        ParseResult<PolicyTestSuite> r = parse(HEAD + indented + "\n");
        assertThat(r.isValid()).isFalse();
        assertThat(r.diagnostics()).anySatisfy(d -> {
            assertThat(d.message()).contains(fragment);
            assertThat(d.line()).isEqualTo(line);
        });
    }

    @Test
    @DisplayName("test names are unique within a file, and scopes are dotted names")
    void duplicatesAndScopes() {
        String body = "    request: {}\n    expect: {decision: allow}\n";
        ParseResult<PolicyTestSuite> dup = parse(HEAD + body + "  - name: one\n    scope: acme\n" + body);
        assertThat(dup.diagnostics()).anySatisfy(d -> {
            assertThat(d.message()).isEqualTo("tests[1].name: duplicate test name 'one' (also tests[0])");
            assertThat(d.line()).isEqualTo(9);
        });
        ParseResult<PolicyTestSuite> scope = parse(HEAD.replace("acme.chat", "Acme..chat") + body);
        assertThat(scope.diagnostics())
                .anySatisfy(
                        d -> assertThat(d.message())
                                .isEqualTo(
                                        "tests[0].scope: 'Acme..chat' is not a scope: dotted names such as acme.chat, or empty for global"));
    }
}
