package dev.gavel.engine.impact;

import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.MissingField;
import dev.gavel.engine.eval.RequestReader;
import dev.gavel.engine.model.PolicyTestCase;
import dev.gavel.engine.model.PolicyTestSuite;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the policy tests of {@code tests/*.yaml} against a snapshot: each request is read as a
 * runtime's request would be, evaluated, and compared with the expected decision and, when given,
 * the set of matched policies. A request that lacks a field an applicable policy needs fails: a
 * runtime's request would be refused, so the test would not show what production does.
 */
public final class PolicyTestRunner {
    private PolicyTestRunner() {}

    /** Every test of the snapshot's suites, in file order. */
    public static List<TestResult> run(PolicySnapshot snapshot) {
        List<TestResult> out = new ArrayList<>();
        for (PolicyTestSuite suite : snapshot.tests()) {
            for (PolicyTestCase test : suite.tests()) {
                out.add(run(snapshot, suite.name(), test));
            }
        }
        return List.copyOf(out);
    }

    public static TestResult run(PolicySnapshot snapshot, String suite, PolicyTestCase test) {
        RequestReader.Result read = RequestReader.read(
                test.scope(), test.request(), snapshot.settings().levels().size());
        if (read instanceof RequestReader.Invalid invalid) {
            List<String> failures = invalid.errors().stream()
                    .map(e -> "request" + (e.field().isEmpty() ? "" : "." + e.field()) + ": " + e.message())
                    .toList();
            return new TestResult(suite, test, Optional.empty(), List.of(), List.of(), failures);
        }
        Evaluation evaluation;
        try {
            evaluation = snapshot.evaluate(((RequestReader.Read) read).request());
        } catch (IllegalArgumentException e) {
            return new TestResult(
                    suite, test, Optional.empty(), List.of(), List.of(), List.of("scope: " + e.getMessage()));
        }
        List<String> failures = new ArrayList<>();
        if (evaluation.decision() != test.decision()) {
            failures.add("decision: expected " + test.decision() + ", got " + evaluation.decision());
        }
        test.matched().ifPresent(expected -> {
            Set<String> actual = new TreeSet<>();
            evaluation.matches().stream().map(Match::policy).forEach(actual::add);
            if (!actual.equals(new TreeSet<>(expected))) {
                failures.add("matched: expected " + new TreeSet<>(expected) + ", got " + actual);
            }
        });
        for (MissingField m : evaluation.refusing()) {
            failures.add("request lacks " + m.field() + ", which policy " + m.policy() + " needs: " + m.message());
        }
        return new TestResult(
                suite, test, Optional.of(evaluation.decision()), evaluation.matches(), evaluation.missing(), failures);
    }
}
