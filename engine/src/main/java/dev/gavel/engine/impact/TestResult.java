package dev.gavel.engine.impact;

import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.MissingField;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.PolicyTestCase;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of one policy test.
 *
 * @param suite the test suite's name
 * @param test the test as written (scope, request, expectation, location in its file)
 * @param decision the decision reached; empty when the request could not be evaluated
 * @param matches every rule that matched (audit included)
 * @param missing request fields an applicable policy needed and the request lacked
 * @param failures why the test failed, one line each; empty when it passed
 */
public record TestResult(
        String suite,
        PolicyTestCase test,
        Optional<Decision> decision,
        List<Match> matches,
        List<MissingField> missing,
        List<String> failures) {

    public TestResult {
        matches = List.copyOf(matches);
        missing = List.copyOf(missing);
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /** Names of the policies with at least one matching rule, in match order. */
    public Set<String> matchedPolicies() {
        Set<String> names = new LinkedHashSet<>();
        matches.forEach(m -> names.add(m.policy()));
        return names;
    }
}
