package dev.gavel.api.validate;

import dev.gavel.api.validate.replay.ReplayReport;
import dev.gavel.api.validate.replay.ReplaySource;
import dev.gavel.api.validate.replay.ReplayWindow;
import dev.gavel.api.validate.replay.Replayer;
import dev.gavel.engine.impact.ImpactAnalyzer;
import dev.gavel.engine.impact.PolicyTestRunner;
import dev.gavel.engine.impact.TestResult;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates a head version: compile it, run its policy tests, and with a base, compare the resolved
 * policies of both. The same steps serve {@code gavel validate}, {@code gavel test} and
 * {@code POST /api/v1/impact}, so all three report alike.
 */
public final class Validation {
    private Validation() {}

    /** What to do beyond compiling the head. */
    public enum Steps {
        /** Compile, run the tests and, with a base, compare. */
        ALL,
        /** Compile and run the tests only ({@code gavel test}). */
        TESTS
    }

    /**
     * Logged requests to re-decide on the head ({@code --replay}).
     *
     * @param threads replay workers (parsing and evaluating)
     */
    public record ReplayPlan(
            ReplaySource<?> source, ReplayWindow window, int threads, Replayer.Progress progress, boolean failOnFlip) {}

    /**
     * @param previous a snapshot whose unchanged partitions the compiles may reuse (a server's served one)
     */
    public static ValidationReport run(
            RevisionFiles head, Optional<RevisionFiles> base, Steps steps, Optional<PolicySnapshot> previous) {
        return run(head, base, steps, previous, Optional.empty());
    }

    /**
     * @throws ReplaySource.SourceException when the replay's source cannot be read
     */
    public static ValidationReport run(
            RevisionFiles head,
            Optional<RevisionFiles> base,
            Steps steps,
            Optional<PolicySnapshot> previous,
            Optional<ReplayPlan> replay) {
        Optional<PolicySnapshot> baseSnapshot = Optional.empty();
        Optional<String> baseProblem = Optional.empty();
        if (base.isPresent() && steps == Steps.ALL) {
            RevisionFiles b = base.get();
            CompileResult r = SnapshotCompiler.compile(b.compileId(), b.files(), previous);
            if (r instanceof CompileResult.Compiled ok && b.problems().isEmpty()) {
                baseSnapshot = Optional.of(ok.snapshot());
            } else {
                long errors =
                        r.diagnostics().stream().filter(Diagnostic::isError).count()
                                + b.problems().size();
                baseProblem = Optional.of("the base " + b.label() + " does not compile (" + errors
                        + (errors == 1 ? " error" : " errors") + "); fix or rebase onto a good base to see the impact");
            }
        }

        CompileResult r = SnapshotCompiler.compile(head.compileId(), head.files(), baseSnapshot.or(() -> previous));
        List<Diagnostic> diagnostics = new ArrayList<>(head.problems());
        diagnostics.addAll(r.diagnostics());
        diagnostics.sort(Diagnostic.BY_POSITION);
        Optional<PolicySnapshot> headSnapshot =
                r instanceof CompileResult.Compiled ok && head.problems().isEmpty()
                        ? Optional.of(ok.snapshot())
                        : Optional.empty();

        List<TestResult> tests = headSnapshot.map(PolicyTestRunner::run).orElse(List.of());
        int policies = headSnapshot.map(s -> s.policies().size()).orElse(0);

        Optional<ValidationReport.ImpactOutcome> impact = Optional.empty();
        if (base.isPresent() && steps == Steps.ALL) {
            List<Diagnostic> locks = ImpactAnalyzer.lockViolations(diagnostics);
            if (baseSnapshot.isPresent() && headSnapshot.isPresent()) {
                impact = Optional.of(new ValidationReport.ImpactOutcome(
                        Optional.of(ImpactAnalyzer.compare(baseSnapshot.get(), headSnapshot.get())),
                        locks,
                        Optional.empty()));
            } else {
                String why = headSnapshot.isEmpty()
                        ? "the head does not compile; fix the errors above to see the impact"
                        : baseProblem.orElse("the base did not compile");
                impact = Optional.of(new ValidationReport.ImpactOutcome(Optional.empty(), locks, Optional.of(why)));
            }
        }
        Optional<ValidationReport.ReplayOutcome> replayed = replay.map(plan -> headSnapshot
                .map(snap -> new ValidationReport.ReplayOutcome(
                        Optional.of(replay(plan, snap)), plan.failOnFlip(), Optional.empty()))
                .orElseGet(() -> new ValidationReport.ReplayOutcome(
                        Optional.empty(), plan.failOnFlip(), Optional.of("the head does not compile"))));
        return new ValidationReport(
                side(head),
                base.map(Validation::side),
                diagnostics,
                headSnapshot.isPresent(),
                policies,
                tests,
                headSnapshot.isPresent(),
                impact,
                replayed);
    }

    private static <T> ReplayReport replay(ReplayPlan plan, PolicySnapshot head) {
        @SuppressWarnings("unchecked")
        ReplaySource<T> source = (ReplaySource<T>) plan.source();
        return Replayer.run(source, plan.window(), head, plan.threads(), plan.progress());
    }

    private static ValidationReport.Side side(RevisionFiles f) {
        return new ValidationReport.Side(f.label(), f.commit());
    }
}
