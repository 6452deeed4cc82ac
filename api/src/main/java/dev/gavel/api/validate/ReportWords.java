package dev.gavel.api.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.validate.replay.ReplayReport;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.impact.FieldChange;
import dev.gavel.engine.impact.TestResult;
import dev.gavel.engine.model.ScopePath;
import java.util.Optional;
import java.util.TreeSet;

/** The phrases the text and markdown reports share, so both say the same thing the same way. */
final class ReportWords {
    private ReportWords() {}

    static String scope(ScopePath s) {
        return s.isGlobal() ? "(global)" : s.dotted();
    }

    static String value(Optional<JsonNode> v) {
        return v.map(JsonNode::toString).orElse("(absent)");
    }

    /** {@code spec.settings.total: 1000 -> 2000 (from acme)}. */
    static String field(FieldChange f) {
        String from = f.afterFrom().or(f::beforeFrom).map(ReportWords::scope).orElse("?");
        String was = f.beforeFrom()
                .filter(b ->
                        f.afterFrom().isPresent() && !b.equals(f.afterFrom().get()))
                .map(b -> ", was from " + scope(b))
                .orElse("");
        return f.path() + ": " + value(f.before()) + " -> " + value(f.after()) + " (from " + from + was + ")";
    }

    /** {@code token-limits/max-total (block, deny, defined at acme): Request over the total} */
    static String match(Match m) {
        return m.policy() + "/" + m.rule() + " (" + m.enforcement().value() + ", "
                + m.effect().value() + ", defined at " + scope(m.definedAt()) + "): " + m.message();
    }

    static String expected(TestResult t) {
        return t.test().decision().value()
                + t.test().matched().map(m -> ", matched " + new TreeSet<>(m)).orElse("");
    }

    static String actual(TestResult t) {
        return t.decision()
                .map(d -> d.value() + ", matched " + new TreeSet<>(t.matchedPolicies()))
                .orElse("not evaluated");
    }

    static String where(TestResult t) {
        return t.test().location().file() + ":" + t.test().location().line();
    }

    /** {@code token-limits (acme)}, or a note when no single policy explains the flips. */
    static String policy(ReplayReport.PolicyFlips p) {
        return p.policy().equals(ReplayReport.NO_SINGLE_POLICY)
                ? "(no single policy)"
                : p.policy() + " (" + (p.definedAt().isEmpty() ? "global" : p.definedAt()) + ")";
    }

    /** {@code allow->deny 1,000, deny->allow 3}. */
    static String transitions(java.util.Map<String, Long> t) {
        return t.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(java.util.Locale.ROOT, "%,d", e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** {@code 12,345 replayed from FILE (since ...) in 1.2 s: 12 would flip}. */
    static String replayHeadline(ReplayReport r) {
        return String.format(
                java.util.Locale.ROOT,
                "%,d evaluations replayed from %s%s in %.1f s: %,d would flip%s",
                r.replayed(),
                r.source(),
                r.since().map(s -> " since " + s).orElse(""),
                r.millis() / 1000.0,
                r.flipped(),
                r.unreadable() > 0
                        ? String.format(java.util.Locale.ROOT, " (%,d unreadable rows skipped)", r.unreadable())
                        : "");
    }
}
