package dev.gavel.api.validate;

import dev.gavel.api.validate.replay.ReplayReport;
import dev.gavel.engine.impact.Impact;
import dev.gavel.engine.impact.TestResult;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything {@code gavel validate} found about a head version, and its impact against a base.
 *
 * @param diagnostics the head's problems (unreadable files, parse, resolution and compile errors,
 *     warnings), sorted by file and position
 * @param compiled whether the head compiled into a snapshot
 * @param policies number of policy definitions at head (0 when it did not compile)
 * @param tests the policy tests' outcomes; empty when not run
 * @param testsRun false when the head did not compile, so no test could run
 * @param impact present when a base was given
 * @param replay present when logged requests were to be replayed
 */
public record ValidationReport(
        Side head,
        Optional<Side> base,
        List<Diagnostic> diagnostics,
        boolean compiled,
        int policies,
        List<TestResult> tests,
        boolean testsRun,
        Optional<ImpactOutcome> impact,
        Optional<ReplayOutcome> replay) {

    public ValidationReport {
        diagnostics = List.copyOf(diagnostics);
        tests = List.copyOf(tests);
    }

    /** A version as the user named it, with its commit when it is one. */
    public record Side(String label, Optional<String> commit) {
        public String shortName() {
            return commit.map(c -> label.equals(c) || label.equals("worktree")
                            ? c.substring(0, Math.min(12, c.length()))
                            : label + " (" + c.substring(0, Math.min(12, c.length())) + ")")
                    .orElse(label);
        }
    }

    /**
     * The comparison with the base.
     *
     * @param impact the resolved-policy differences; empty when either side did not compile
     * @param lockViolations head errors that override or weaken a locked policy
     * @param notComputed why {@code impact} is empty
     */
    public record ImpactOutcome(
            Optional<Impact> impact, List<Diagnostic> lockViolations, Optional<String> notComputed) {
        public ImpactOutcome {
            lockViolations = List.copyOf(lockViolations);
        }
    }

    /**
     * The replay of logged requests against the head.
     *
     * @param report empty when the head did not compile
     * @param failOnFlip {@code --fail-on-flip}: a flipped decision fails the check
     */
    public record ReplayOutcome(Optional<ReplayReport> report, boolean failOnFlip, Optional<String> notRun) {
        /** Whether the replay alone fails the check. */
        public boolean fails() {
            return failOnFlip && report.map(r -> r.flipped() > 0).orElse(false);
        }
    }

    public long errorCount() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }

    public long warningCount() {
        return diagnostics.size() - errorCount();
    }

    public long failedTests() {
        return tests.stream().filter(t -> !t.passed()).count();
    }

    public long passedTests() {
        return tests.size() - failedTests();
    }

    public boolean valid() {
        return compiled && errorCount() == 0;
    }

    /** What the exit code and the check's colour follow: valid, every test passed, no flip when flips fail. */
    public boolean ok() {
        return valid()
                && failedTests() == 0
                && !replay.map(ReplayOutcome::fails).orElse(false);
    }

    /** One line: the verdict and the counts. */
    public String summary() {
        StringBuilder b = new StringBuilder(ok() ? "passed" : "failed");
        b.append(": ");
        if (valid()) {
            b.append("valid (")
                    .append(policies)
                    .append(policies == 1 ? " policy" : " policies")
                    .append(")");
        } else {
            b.append(errorCount()).append(errorCount() == 1 ? " error" : " errors");
        }
        if (warningCount() > 0) {
            b.append(", ").append(warningCount()).append(warningCount() == 1 ? " warning" : " warnings");
        }
        if (testsRun) {
            b.append("; tests: ")
                    .append(passedTests())
                    .append(" passed, ")
                    .append(failedTests())
                    .append(" failed");
        } else {
            b.append("; tests not run");
        }
        impact.ifPresent(i -> {
            b.append("; impact: ");
            if (i.impact().isPresent()) {
                Impact im = i.impact().get();
                b.append(im.changeCount())
                        .append(im.changeCount() == 1 ? " change" : " changes")
                        .append(" in ")
                        .append(im.scopes().size())
                        .append(" of ")
                        .append(im.scopesCompared().size())
                        .append(" scopes");
                if (!im.enforcementChanges().isEmpty()) {
                    b.append(", ")
                            .append(im.enforcementChanges().size())
                            .append(" enforcement ")
                            .append(im.enforcementChanges().size() == 1 ? "change" : "changes");
                }
            } else {
                b.append("not computed");
            }
            if (!i.lockViolations().isEmpty()) {
                b.append(", ")
                        .append(i.lockViolations().size())
                        .append(i.lockViolations().size() == 1 ? " lock violation" : " lock violations");
            }
        });
        replay.ifPresent(o -> {
            b.append("; replay: ");
            if (o.report().isEmpty()) {
                b.append("not run");
                return;
            }
            ReplayReport r = o.report().get();
            b.append(r.flipped()).append(" of ").append(r.replayed()).append(" decisions would flip");
        });
        return b.toString();
    }

    /**
     * The report as a caller limited to some tenants may see it: diagnostics of visible files, tests
     * and impact of visible scopes. Counts in the summary follow what is left: {@code visiblePolicies}
     * replaces the count of every tenant's policies, so a limited caller learns no other tenant's size.
     */
    public ValidationReport visibleTo(Predicate<ScopePath> scope, Predicate<String> file, int visiblePolicies) {
        Optional<ImpactOutcome> seen = impact.map(i -> new ImpactOutcome(
                i.impact()
                        .map(im -> new Impact(
                                im.scopesCompared().stream().filter(scope).toList(),
                                im.scopes().stream()
                                        .filter(s -> scope.test(s.scope()))
                                        .toList(),
                                im.enforcementChanges().stream()
                                        .filter(e -> scope.test(e.scope()))
                                        .toList())),
                i.lockViolations().stream().filter(d -> file.test(d.file())).toList(),
                i.notComputed()));
        return new ValidationReport(
                head,
                base,
                diagnostics.stream().filter(d -> file.test(d.file())).toList(),
                compiled,
                compiled ? visiblePolicies : 0,
                tests.stream().filter(t -> scope.test(t.test().scope())).toList(),
                testsRun,
                seen,
                replay);
    }
}
