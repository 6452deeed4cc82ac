package dev.gavel.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.RequestReader;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Provider checks, tested by the decisions they make over facts sent as nested attributes. */
class ConditionProvidersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String POLICY = """
      apiVersion: gavel/v1
      kind: Policy
      metadata: {name: deploy-gates}
      spec:
        type: custom
        enforcement: block
        rules:
          - name: protected-main
            check: {provider: github, check: branch_protection, params: {branch: main}}
            effect: deny
            message: main must be protected
          - name: two-reviews
            check: {provider: github, check: required_reviews, params: {min: 2}}
            effect: deny
            message: two approving reviews
          - name: ci-green
            check: {provider: github, check: status_checks, params: {checks: [ci, lint]}}
            effect: deny
            message: checks must pass
          - name: budget
            check: {provider: cost, check: threshold, params: {max: 500}}
            effect: warn
            message: over budget
      """;

    private static PolicySnapshot snapshot(String yaml) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("policies/acme/deploy-gates.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        CompileResult r = SnapshotCompiler.compile("c1", files);
        assertThat(r).as("%s", r.diagnostics()).isInstanceOf(CompileResult.Compiled.class);
        return ((CompileResult.Compiled) r).snapshot();
    }

    private static Evaluation decide(PolicySnapshot snap, String attributes) throws Exception {
        JsonNode body = JSON.readTree("{\"resource\":{\"type\":\"model\",\"name\":\"m\"},\"action\":\"deploy\","
                + "\"attributes\":" + attributes + "}");
        RequestReader.Result r = RequestReader.read(ScopePath.parse("acme"), body, 4);
        assertThat(r).isInstanceOf(RequestReader.Read.class);
        return snap.evaluate(((RequestReader.Read) r).request());
    }

    private static final String GOOD = "{\"github\":{\"branch\":\"main\",\"branch_protected\":true,\"approvals\":2,"
            + "\"checks\":{\"ci\":\"success\",\"lint\":\"success\"}},\"cost\":{\"monthly\":100}}";

    @Test
    @DisplayName("checks decide over nested attributes: all met allows, each one broken denies or warns by its rule")
    void decisions() throws Exception {
        PolicySnapshot snap = snapshot(POLICY);
        assertThat(decide(snap, GOOD).decision()).isEqualTo(Decision.ALLOW);
        Evaluation unprotected = decide(snap, GOOD.replace("\"branch_protected\":true", "\"branch_protected\":false"));
        assertThat(unprotected.decision()).isEqualTo(Decision.DENY);
        assertThat(unprotected.matches()).extracting(m -> m.rule()).containsExactly("protected-main");
        // another branch is not governed by branch_protection{main}
        assertThat(decide(
                                snap,
                                GOOD.replace(
                                        "\"branch\":\"main\",\"branch_protected\":true",
                                        "\"branch\":\"dev\",\"branch_protected\":false"))
                        .decision())
                .isEqualTo(Decision.ALLOW);
        assertThat(decide(snap, GOOD.replace("\"approvals\":2", "\"approvals\":1"))
                        .matches())
                .extracting(m -> m.rule())
                .containsExactly("two-reviews");
        assertThat(decide(snap, GOOD.replace("\"lint\":\"success\"", "\"lint\":\"failure\""))
                        .matches())
                .extracting(m -> m.rule())
                .containsExactly("ci-green");
        Evaluation costly = decide(snap, GOOD.replace("\"monthly\":100", "\"monthly\":501"));
        assertThat(costly.decision()).isEqualTo(Decision.WARN);
        // checks fail closed: without the facts they read, they deny
        assertThat(decide(snap, "{\"github\":{\"branch\":\"main\"}}").matches())
                .extracting(m -> m.rule())
                .containsExactlyInAnyOrder("protected-main", "two-reviews", "ci-green", "budget");
    }

    @Test
    @DisplayName("a check is written back as a check, and the file round-trips")
    void roundTrip() {
        var parsed = (ParseResult.Parsed<dev.gavel.engine.model.Policy>)
                PolicyParser.parse(POLICY.getBytes(StandardCharsets.UTF_8), "policies/acme/deploy-gates.yaml");
        String written = PolicyWriter.toYaml(parsed.value(), "policies/acme/deploy-gates.yaml");
        assertThat(written).contains("provider: github").doesNotContain("when:");
        var again = (ParseResult.Parsed<dev.gavel.engine.model.Policy>)
                PolicyParser.parse(written.getBytes(StandardCharsets.UTF_8), "policies/acme/deploy-gates.yaml");
        assertThat(again.value()).isEqualTo(parsed.value());
        assertThat(parsed.value().spec().rule("protected-main").orElseThrow().when())
                .isEqualTo(
                        "!(attributes[\"github.branch\"] != \"main\" || attributes[\"github.branch_protected\"] == true)");
    }

    @Test
    @DisplayName("bad params are field errors at the param, and nothing compiles")
    void badParams() {
        String bad = POLICY.replace("params: {branch: main}", "params: {branch: \"main\\\" || true\", extra: 1}")
                .replace("params: {min: 2}", "params: {min: 0}")
                .replace("provider: cost, check: threshold", "provider: cost, check: nope");
        ParseResult<?> r = PolicyParser.parse(bad.getBytes(StandardCharsets.UTF_8), "policies/acme/deploy-gates.yaml");
        List<String> messages = r.diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(Diagnostic::message)
                .toList();
        assertThat(messages)
                .anyMatch(m -> m.contains("spec.rules[0].check.params.branch"))
                .anyMatch(m -> m.contains("spec.rules[0].check.params.extra"))
                .anyMatch(m -> m.contains("spec.rules[1].check.params.min"))
                .anyMatch(m -> m.contains("spec.rules[3].check.check"));
        assertThat(r).isNotInstanceOf(ParseResult.Parsed.class);
        assertThat(ConditionProviders.compile("gitlab", "x", null))
                .isInstanceOf(ConditionProviders.Compiled.Invalid.class);
    }
}
