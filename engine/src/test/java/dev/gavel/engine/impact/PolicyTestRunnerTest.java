package dev.gavel.engine.impact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.model.Decision;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolicyTestRunnerTest {
    static String suite(String tests) {
        return "apiVersion: gavel/v1\nkind: PolicyTest\nname: limits\ntests:\n" + tests;
    }

    static String test(String name, String scope, String request, String expect) {
        return "  - name: " + name + "\n    scope: '" + scope + "'\n    request: " + request + "\n    expect: " + expect
                + "\n";
    }

    @Test
    @DisplayName("passing tests pass and a wrong expectation fails with expected vs actual and the matched policies")
    void passAndFail() {
        PolicySnapshot s = Repo.base()
                .put(
                        "tests/limits.yaml",
                        suite(test(
                                        "big request denied in acme",
                                        "acme",
                                        "{resource: {type: model}, flavor: {type: cpu}, tokens: {input: 100, output: 500}}",
                                        "{decision: deny, matched: [token-limits]}")
                                + test(
                                        "claims allow",
                                        "acme",
                                        "{resource: {type: model}, flavor: {type: cpu}, tokens: {input: 100, output: 500}}",
                                        "{decision: allow}")
                                + test(
                                        "gpu allowed says the author",
                                        "globex",
                                        "{resource: {type: model}, flavor: {type: gpu}, tokens: {input: 1, output: 1}}",
                                        "{decision: deny, matched: []}")))
                .snapshot("a");
        List<TestResult> results = PolicyTestRunner.run(s);
        assertThat(results).hasSize(3);
        assertThat(results.get(0).passed())
                .as(results.get(0).failures().toString())
                .isTrue();
        assertThat(results.get(0).suite()).isEqualTo("limits");

        TestResult wrongDecision = results.get(1);
        assertThat(wrongDecision.passed()).isFalse();
        assertThat(wrongDecision.decision()).contains(Decision.DENY);
        assertThat(wrongDecision.failures()).containsExactly("decision: expected allow, got deny");
        assertThat(wrongDecision.matchedPolicies()).containsExactly("token-limits");

        TestResult wrongMatched = results.get(2);
        assertThat(wrongMatched.failures()).containsExactly("matched: expected [], got [no-gpu]");
        assertThat(wrongMatched.test().location().file()).isEqualTo("tests/limits.yaml");
        assertThat(wrongMatched.test().location().line()).isGreaterThan(5);
    }

    @Test
    @DisplayName("a request deeper than the repository's levels fails the test with a message, not an exception")
    void tooDeep() {
        PolicySnapshot s = Repo.base()
                .put("tests/limits.yaml", suite(test("deep", "a.b.c.d.e", "{action: x}", "{decision: allow}")))
                .snapshot("a");
        TestResult r = PolicyTestRunner.run(s).get(0);
        assertThat(r.passed()).isFalse();
        assertThat(r.decision()).isEmpty();
        assertThat(r.failures()).singleElement().asString().contains("levels");
    }

    @Test
    @DisplayName("a request missing a field an applicable policy needs fails, naming the field and the policy")
    void missingField() {
        PolicySnapshot s = Repo.base()
                .put(
                        "tests/limits.yaml",
                        suite(test(
                                "no tokens",
                                "acme",
                                "{resource: {type: model}, flavor: {type: cpu}}",
                                "{decision: allow}")))
                .snapshot("a");
        TestResult r = PolicyTestRunner.run(s).get(0);
        assertThat(r.missing()).isNotEmpty();
        assertThat(r.failures())
                .anySatisfy(f -> assertThat(f).contains("token-limits").startsWith("request lacks"));
    }
}
