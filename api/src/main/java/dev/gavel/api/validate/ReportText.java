package dev.gavel.api.validate;

import dev.gavel.api.validate.replay.ReplayReport;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.impact.EnforcementChange;
import dev.gavel.engine.impact.Impact;
import dev.gavel.engine.impact.PolicyChange;
import dev.gavel.engine.impact.ScopeImpact;
import dev.gavel.engine.impact.TestResult;
import dev.gavel.engine.parse.Diagnostic;

/** The report for a terminal: diagnostics as {@code file:line:column: message}, failures, impact, verdict. */
public final class ReportText {
    private ReportText() {}

    public static String render(ValidationReport r) {
        StringBuilder b = new StringBuilder();
        String nl = System.lineSeparator();
        b.append("head: ").append(r.head().shortName());
        r.base().ifPresent(base -> b.append("  base: ").append(base.shortName()));
        b.append(nl);
        for (Diagnostic d : r.diagnostics()) {
            b.append(d.format()).append(nl);
        }
        if (r.testsRun()) {
            b.append("tests: ")
                    .append(r.passedTests())
                    .append(" passed, ")
                    .append(r.failedTests())
                    .append(" failed")
                    .append(nl);
            for (TestResult t : r.tests()) {
                if (t.passed()) {
                    continue;
                }
                b.append("FAIL ")
                        .append(t.suite())
                        .append(": ")
                        .append(t.test().name())
                        .append(" (")
                        .append(ReportWords.where(t))
                        .append(")")
                        .append(nl);
                b.append("  scope:    ")
                        .append(ReportWords.scope(t.test().scope()))
                        .append(nl);
                b.append("  expected: ").append(ReportWords.expected(t)).append(nl);
                b.append("  actual:   ").append(ReportWords.actual(t)).append(nl);
                for (Match m : t.matches()) {
                    b.append("    matched ").append(ReportWords.match(m)).append(nl);
                }
                for (String f : t.failures()) {
                    b.append("  - ").append(f).append(nl);
                }
            }
        }
        r.impact().ifPresent(i -> {
            b.append("impact:").append(nl);
            for (Diagnostic d : i.lockViolations()) {
                b.append("  lock violated: ").append(d.format()).append(nl);
            }
            if (i.impact().isEmpty()) {
                b.append("  not computed: ").append(i.notComputed().orElse("")).append(nl);
                return;
            }
            Impact im = i.impact().get();
            if (im.isEmpty()) {
                b.append("  no resolved policy changes in ")
                        .append(im.scopesCompared().size())
                        .append(" scopes")
                        .append(nl);
            }
            for (ScopeImpact s : im.scopes()) {
                b.append("  scope ")
                        .append(ReportWords.scope(s.scope()))
                        .append(":")
                        .append(nl);
                for (PolicyChange c : s.changes()) {
                    b.append("    ")
                            .append(sign(c.kind()))
                            .append(' ')
                            .append(c.policy())
                            .append(" ")
                            .append(c.kind().value());
                    c.after()
                            .or(c::before)
                            .ifPresent(p -> b.append(" (defined at ")
                                    .append(ReportWords.scope(p.definedAt()))
                                    .append(")"));
                    b.append(nl);
                    c.fields()
                            .forEach(f -> b.append("        ")
                                    .append(ReportWords.field(f))
                                    .append(nl));
                    if (c.kind() == PolicyChange.Kind.CHANGED && c.fields().isEmpty()) {
                        b.append("        same values, now defined at ")
                                .append(ReportWords.scope(
                                        c.after().orElseThrow().definedAt()))
                                .append(nl);
                    }
                }
            }
            for (EnforcementChange e : im.enforcementChanges()) {
                b.append("  enforcement ")
                        .append(ReportWords.scope(e.scope()))
                        .append(" ")
                        .append(e.policy())
                        .append(": ")
                        .append(e.effectiveBefore())
                        .append(" -> ")
                        .append(e.effectiveAfter())
                        .append(e.weakens() ? " (weaker)" : " (stronger)")
                        .append(nl);
            }
        });
        r.replay().ifPresent(o -> {
            if (o.report().isEmpty()) {
                b.append("replay: not run: ").append(o.notRun().orElse("")).append(nl);
                return;
            }
            ReplayReport rr = o.report().get();
            b.append("replay: ").append(ReportWords.replayHeadline(rr)).append(nl);
            if (rr.flipped() > 0) {
                b.append("  ").append(ReportWords.transitions(rr.transitions())).append(nl);
            }
            for (ReplayReport.PolicyFlips p : rr.policies()) {
                b.append("  ")
                        .append(ReportWords.policy(p))
                        .append(": ")
                        .append(ReportWords.transitions(p.transitions()))
                        .append(nl);
                for (ReplayReport.FlipExample e : p.examples()) {
                    b.append("    ")
                            .append(e.time())
                            .append(' ')
                            .append(e.scope().isEmpty() ? "(global)" : e.scope())
                            .append(' ')
                            .append(e.before())
                            .append(" -> ")
                            .append(e.after())
                            .append(" [")
                            .append(e.id())
                            .append("] ")
                            .append(e.why())
                            .append(nl);
                }
            }
        });
        b.append(r.summary()).append(nl);
        return b.toString();
    }

    private static char sign(PolicyChange.Kind k) {
        return switch (k) {
            case ADDED -> '+';
            case REMOVED -> '-';
            case CHANGED -> '~';
        };
    }
}
