package dev.gavel.api.validate;

import dev.gavel.api.validate.replay.ReplayReport;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.impact.EnforcementChange;
import dev.gavel.engine.impact.FieldChange;
import dev.gavel.engine.impact.Impact;
import dev.gavel.engine.impact.PolicyChange;
import dev.gavel.engine.impact.ScopeImpact;
import dev.gavel.engine.impact.TestResult;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The report as a pull-request comment (GitHub-flavoured markdown): a summary line, then the
 * diagnostics, the failed tests, the impact table and the enforcement changes. Text from the
 * repository is escaped so a policy cannot break the table or inject markup. Long lists are cut
 * (forges cap a comment at 65,536 characters); the JSON report has everything.
 */
public final class ReportMarkdown {
    /** Rows shown per table before the rest is summarised. */
    static final int MAX_ROWS = 100;

    private ReportMarkdown() {}

    public static String render(ValidationReport r) {
        StringBuilder b = new StringBuilder();
        b.append("### ")
                .append(r.ok() ? "✅" : "❌")
                .append(" Gavel ")
                .append(esc(r.summary()))
                .append("\n\n");
        b.append("Head ").append(code(r.head().shortName()));
        r.base().ifPresent(base -> b.append(", base ").append(code(base.shortName())));
        b.append(".\n");

        if (!r.diagnostics().isEmpty()) {
            b.append("\n#### Diagnostics\n\n```text\n");
            r.diagnostics().stream()
                    .limit(MAX_ROWS)
                    .forEach(d -> b.append(fence(d.format())).append('\n'));
            b.append("```\n");
            more(b, r.diagnostics().size());
        }

        if (r.testsRun()) {
            b.append("\n#### Tests: ")
                    .append(r.passedTests())
                    .append(" passed, ")
                    .append(r.failedTests())
                    .append(" failed\n");
            List<TestResult> failed =
                    r.tests().stream().filter(t -> !t.passed()).toList();
            if (!failed.isEmpty()) {
                b.append("\n| test | scope | expected | actual | matched rules | why |\n|---|---|---|---|---|---|\n");
                for (TestResult t : failed.stream().limit(MAX_ROWS).toList()) {
                    b.append("| ")
                            .append(esc(t.suite() + ": " + t.test().name()))
                            .append(" (")
                            .append(code(ReportWords.where(t)))
                            .append(") | ")
                            .append(code(ReportWords.scope(t.test().scope())))
                            .append(" | ")
                            .append(esc(ReportWords.expected(t)))
                            .append(" | ")
                            .append(esc(ReportWords.actual(t)))
                            .append(" | ")
                            .append(
                                    t.matches().isEmpty()
                                            ? "none"
                                            : t.matches().stream()
                                                    .map(ReportMarkdown::match)
                                                    .collect(Collectors.joining("<br>")))
                            .append(" | ")
                            .append(t.failures().stream()
                                    .map(ReportMarkdown::esc)
                                    .collect(Collectors.joining("<br>")))
                            .append(" |\n");
                }
                more(b, failed.size());
            }
        } else {
            b.append("\n#### Tests: not run (the head does not compile)\n");
        }

        r.impact().ifPresent(i -> {
            b.append("\n#### Impact\n\n");
            if (!i.lockViolations().isEmpty()) {
                b.append("Locks violated:\n\n");
                i.lockViolations()
                        .forEach(d -> b.append("- ")
                                .append(code(d.file()))
                                .append(": ")
                                .append(esc(d.message()))
                                .append('\n'));
                b.append('\n');
            }
            if (i.impact().isEmpty()) {
                b.append("Not computed: ")
                        .append(esc(i.notComputed().orElse("")))
                        .append('\n');
                return;
            }
            Impact im = i.impact().get();
            if (im.isEmpty()) {
                b.append("No resolved policy changes in the ")
                        .append(im.scopesCompared().size())
                        .append(" scopes compared.\n");
            } else {
                b.append("| scope | policy | change | fields (before → after, from scope) |\n|---|---|---|---|\n");
                int rows = 0;
                for (ScopeImpact s : im.scopes()) {
                    for (PolicyChange c : s.changes()) {
                        if (rows++ < MAX_ROWS) {
                            b.append("| ")
                                    .append(code(ReportWords.scope(s.scope())))
                                    .append(" | ")
                                    .append(code(c.policy()))
                                    .append(" | ")
                                    .append(c.kind().value())
                                    .append(" | ")
                                    .append(fields(c))
                                    .append(" |\n");
                        }
                    }
                }
                more(b, rows);
            }
            if (!im.enforcementChanges().isEmpty()) {
                b.append("\n| scope | policy | enforcement before | after |\n|---|---|---|---|\n");
                for (EnforcementChange e :
                        im.enforcementChanges().stream().limit(MAX_ROWS).toList()) {
                    b.append("| ")
                            .append(code(ReportWords.scope(e.scope())))
                            .append(" | ")
                            .append(code(e.policy()))
                            .append(" | ")
                            .append(e.effectiveBefore())
                            .append(" | ")
                            .append(e.effectiveAfter())
                            .append(e.weakens() ? " (weaker)" : " (stronger)")
                            .append(" |\n");
                }
                more(b, im.enforcementChanges().size());
            }
        });

        r.replay().ifPresent(o -> {
            b.append("\n#### Replay\n\n");
            if (o.report().isEmpty()) {
                b.append("Not run: ").append(esc(o.notRun().orElse(""))).append('\n');
                return;
            }
            ReplayReport rr = o.report().get();
            b.append(esc(ReportWords.replayHeadline(rr)))
                    .append(o.fails() ? " ❌ (`--fail-on-flip`)" : "")
                    .append(".\n");
            if (rr.flipped() == 0) {
                return;
            }
            b.append("\n| policy | flips | examples |\n|---|---|---|\n");
            for (ReplayReport.PolicyFlips p :
                    rr.policies().stream().limit(MAX_ROWS).toList()) {
                b.append("| ")
                        .append(
                                p.policy().equals(ReplayReport.NO_SINGLE_POLICY)
                                        ? esc(ReportWords.policy(p))
                                        : code(p.policy()) + " ("
                                                + code(p.definedAt().isEmpty() ? "global" : p.definedAt()) + ")")
                        .append(" | ")
                        .append(p.transitions().entrySet().stream()
                                .map(e -> code(e.getKey()) + " " + e.getValue())
                                .collect(Collectors.joining(", ")))
                        .append(" | ")
                        .append(p.examples().stream()
                                .map(e -> code(e.scope().isEmpty() ? "_" : e.scope()) + " " + e.before() + " → "
                                        + e.after() + ": " + esc(e.why()))
                                .collect(Collectors.joining("<br>")))
                        .append(" |\n");
            }
            more(b, rr.policies().size());
        });
        return b.toString();
    }

    private static String fields(PolicyChange c) {
        if (c.kind() == PolicyChange.Kind.ADDED) {
            return "defined at "
                    + code(ReportWords.scope(c.after().orElseThrow().definedAt()));
        }
        if (c.kind() == PolicyChange.Kind.REMOVED) {
            return "was defined at "
                    + code(ReportWords.scope(c.before().orElseThrow().definedAt()));
        }
        if (c.fields().isEmpty()) {
            return "same values, now defined at "
                    + code(ReportWords.scope(c.after().orElseThrow().definedAt()));
        }
        return c.fields().stream().map(ReportMarkdown::field).collect(Collectors.joining("<br>"));
    }

    private static String field(FieldChange f) {
        String from = f.afterFrom().or(f::beforeFrom).map(ReportWords::scope).orElse("?");
        return code(f.path()) + ": " + code(ReportWords.value(f.before())) + " → " + code(ReportWords.value(f.after()))
                + " (" + esc(from) + ")";
    }

    private static String match(Match m) {
        return code(m.policy() + "/" + m.rule()) + " " + m.enforcement().value() + " "
                + m.effect().value();
    }

    private static void more(StringBuilder b, int total) {
        if (total > MAX_ROWS) {
            b.append("\n…and ").append(total - MAX_ROWS).append(" more (see the JSON report).\n");
        }
    }

    /** Inline code that survives any content: backticks become a lookalike, pipes are escaped, newlines go. */
    static String code(String s) {
        return "`" + oneLine(s).replace('`', 'ˋ').replace("|", "\\|") + "`";
    }

    /** Plain text in a table cell: markdown and HTML specials escaped, one line. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : oneLine(s).toCharArray()) {
            if ("\\`*_[]<>|~".indexOf(ch) >= 0) {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    /** A line inside a fenced block: a run of backticks could close the fence early. */
    private static String fence(String s) {
        return oneLine(s).replace("```", "ˋˋˋ");
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ");
    }
}
