package dev.gavel.api.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.gavel.api.validate.replay.ReplayReport;
import dev.gavel.api.wire.Mappers;
import dev.gavel.api.wire.ValidationReportBody;
import dev.gavel.api.wire.ValidationReportBody.EnforcementChangeBody;
import dev.gavel.api.wire.ValidationReportBody.FieldChangeBody;
import dev.gavel.api.wire.ValidationReportBody.FlipExampleBody;
import dev.gavel.api.wire.ValidationReportBody.ImpactSection;
import dev.gavel.api.wire.ValidationReportBody.PolicyChangeBody;
import dev.gavel.api.wire.ValidationReportBody.PolicyFlipsBody;
import dev.gavel.api.wire.ValidationReportBody.ReplaySection;
import dev.gavel.api.wire.ValidationReportBody.ReportCounts;
import dev.gavel.api.wire.ValidationReportBody.ReportDiagnostic;
import dev.gavel.api.wire.ValidationReportBody.ReportSide;
import dev.gavel.api.wire.ValidationReportBody.ReportTest;
import dev.gavel.api.wire.ValidationReportBody.ReportTests;
import dev.gavel.api.wire.ValidationReportBody.ResolvedLayer;
import dev.gavel.api.wire.ValidationReportBody.ResolvedSide;
import dev.gavel.api.wire.ValidationReportBody.ScopeChanges;
import dev.gavel.api.wire.ValidationReportBody.TestActual;
import dev.gavel.api.wire.ValidationReportBody.TestExpected;
import dev.gavel.api.wire.ValidationReportBody.TestMatch;
import dev.gavel.api.wire.ValidationReportBody.TestMissingField;
import dev.gavel.engine.impact.PolicyChange;
import dev.gavel.engine.impact.TestResult;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.resolve.ResolvedPolicy;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report as its wire record ({@link ValidationReportBody}), for bots ({@code --format json}) and for
 * {@code POST /api/v1/impact}: one mapping, written by the one JSON mapper.
 */
public final class ReportJson {
    private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY =
            Mappers.JSON.writerWithDefaultPrettyPrinter();

    private ReportJson() {}

    public static String text(ValidationReport report) {
        try {
            return PRETTY.writeValueAsString(body(report)) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ValidationReportBody body(ValidationReport r) {
        return new ValidationReportBody(
                r.ok(),
                r.summary(),
                side(r.head()),
                r.base().map(ReportJson::side),
                r.valid(),
                r.compiled(),
                r.policies(),
                new ReportCounts(r.errorCount(), r.warningCount(), r.passedTests(), r.failedTests()),
                diagnostics(r.diagnostics()),
                new ReportTests(
                        r.testsRun(),
                        r.passedTests(),
                        r.failedTests(),
                        r.tests().stream().map(ReportJson::test).toList()),
                r.impact().map(ReportJson::impact),
                r.replay().map(ReportJson::replay));
    }

    private static ReportSide side(ValidationReport.Side s) {
        return new ReportSide(s.label(), s.commit());
    }

    static List<ReportDiagnostic> diagnostics(List<Diagnostic> ds) {
        return ds.stream()
                .map(d -> new ReportDiagnostic(
                        d.severity().label(), d.file(), d.line(), d.column(), d.field(), d.message(), d.format()))
                .toList();
    }

    private static ReportTest test(TestResult t) {
        TestExpected expected = new TestExpected(
                t.test().decision().value(),
                t.test().matched().map(m -> m.stream().sorted().toList()));
        TestActual actual = new TestActual(
                t.decision().map(d -> d.value()),
                t.matches().stream()
                        .map(m -> new TestMatch(
                                m.policy(),
                                m.rule(),
                                m.definedAt().dotted(),
                                m.file(),
                                m.enforcement().value(),
                                m.effect().value(),
                                m.message()))
                        .toList(),
                t.missing().stream()
                        .map(m -> new TestMissingField(m.field(), m.policy(), m.message()))
                        .toList());
        return new ReportTest(
                t.suite(),
                t.test().name(),
                t.test().location().file(),
                t.test().location().line(),
                t.test().scope().dotted(),
                t.passed(),
                expected,
                actual,
                List.copyOf(t.failures()));
    }

    private static ImpactSection impact(ValidationReport.ImpactOutcome i) {
        List<ScopeChanges> scopes = i.impact()
                .map(im -> im.scopes().stream()
                        .map(s -> new ScopeChanges(
                                s.scope().dotted(),
                                s.changes().stream().map(ReportJson::change).toList()))
                        .toList())
                .orElse(List.of());
        List<EnforcementChangeBody> enforcement = i.impact()
                .map(im -> im.enforcementChanges().stream()
                        .map(e -> new EnforcementChangeBody(
                                e.scope().dotted(), e.policy(), e.effectiveBefore(), e.effectiveAfter(), e.weakens()))
                        .toList())
                .orElse(List.of());
        List<String> compared = i.impact()
                .map(im -> im.scopesCompared().stream().map(ScopePath::dotted).toList())
                .orElse(List.of());
        return new ImpactSection(
                i.impact().isPresent(),
                i.notComputed(),
                diagnostics(i.lockViolations()),
                scopes,
                enforcement,
                compared);
    }

    private static PolicyChangeBody change(PolicyChange c) {
        return new PolicyChangeBody(
                c.policy(),
                c.kind().value(),
                c.before().map(ReportJson::resolved),
                c.after().map(ReportJson::resolved),
                c.fields().stream()
                        .map(f -> new FieldChangeBody(
                                f.path(),
                                f.before().orElse(NullNode.instance),
                                f.after().orElse(NullNode.instance),
                                scope(f.beforeFrom()),
                                scope(f.afterFrom())))
                        .toList());
    }

    private static ResolvedSide resolved(ResolvedPolicy r) {
        return new ResolvedSide(
                r.definedAt().dotted(),
                r.policy().spec().enforcement().value(),
                r.policy().spec().status().value().toLowerCase(Locale.ROOT),
                r.layers().stream()
                        .map(d -> new ResolvedLayer(d.scope().dotted(), d.file()))
                        .toList());
    }

    private static Optional<String> scope(Optional<ScopePath> s) {
        return s.map(ScopePath::dotted);
    }

    private static ReplaySection replay(ValidationReport.ReplayOutcome o) {
        if (o.report().isEmpty()) {
            return new ReplaySection(
                    false, o.failOnFlip(), o.notRun(), null, null, null, null, null, null, null, null, null, null);
        }
        ReplayReport r = o.report().get();
        List<PolicyFlipsBody> policies = r.policies().stream()
                .map(p -> {
                    boolean none = p.policy().equals(ReplayReport.NO_SINGLE_POLICY);
                    return new PolicyFlipsBody(
                            none ? Optional.empty() : Optional.of(p.policy()),
                            none ? Optional.empty() : Optional.of(p.definedAt()),
                            p.total(),
                            p.transitions(),
                            p.examples().stream()
                                    .map(e -> new FlipExampleBody(
                                            e.id(), e.time(), e.scope(), e.before(), e.after(), e.why()))
                                    .toList());
                })
                .toList();
        return new ReplaySection(
                true,
                o.failOnFlip(),
                o.notRun(),
                r.source(),
                Optional.ofNullable(r.since().map(Object::toString).orElse(null)),
                r.limit(),
                r.replayed(),
                r.unchanged(),
                r.flipped(),
                r.unreadable(),
                r.millis(),
                r.transitions(),
                policies);
    }

    /** The report as a JSON tree (tests and callers that walk it). */
    public static JsonNode tree(ValidationReport r) {
        return Mappers.JSON.valueToTree(body(r));
    }
}
