package dev.gavel.api.validate.replay;

import dev.gavel.api.http.FieldError;
import dev.gavel.api.snapshot.Evaluator;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.MissingField;
import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.store.log.LoggedMatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts of one replay worker: each logged request compared with the head's outcome. Not thread-safe; workers
 * keep their own and {@link #merge} them at the end.
 *
 * <p>A flip is attributed to the policy definitions whose <em>say</em> differs between then and now, where a
 * definition's say is {@code deny} (block and a deny rule matched), {@code warn} (block or warn and a rule
 * matched) or nothing (no match, or audit). A policy moved from block to warn, one that now matches, one that
 * stopped matching: each is named. A request the head refuses is attributed to the policies lacking a field.
 */
final class ReplayTally {
    static final int EXAMPLES = 3;
    static final String REFUSED = "refused";

    private record Key(String policy, String definedAt) {}

    private static final class PolicyCount {
        long total;
        final Map<String, Long> transitions = new HashMap<>();
        final List<ReplayReport.FlipExample> examples = new ArrayList<>();
    }

    long replayed;
    long flipped;
    long unreadable;
    private final Map<String, Long> transitions = new HashMap<>();
    private final Map<Key, PolicyCount> policies = new HashMap<>();

    void unreadable() {
        unreadable++;
    }

    void add(LoggedRequest logged, Evaluator.Outcome now) {
        replayed++;
        String after =
                now instanceof Evaluator.Decided d ? d.evaluation().decision().value() : REFUSED;
        if (after.equals(logged.decision())) {
            return;
        }
        flipped++;
        String transition = logged.decision() + "->" + after;
        transitions.merge(transition, 1L, Long::sum);
        Map<Key, String> blamed = blame(logged, now);
        if (blamed.isEmpty()) {
            blamed = Map.of(
                    new Key(ReplayReport.NO_SINGLE_POLICY, ""),
                    now instanceof Evaluator.Rejected r
                            ? firstError(r)
                            : "the decision differs but no policy's say does (a breaker open at the time?)");
        }
        for (Map.Entry<Key, String> e : blamed.entrySet()) {
            PolicyCount c = policies.computeIfAbsent(e.getKey(), k -> new PolicyCount());
            c.total++;
            c.transitions.merge(transition, 1L, Long::sum);
            keepNewest(
                    c.examples,
                    new ReplayReport.FlipExample(
                            logged.id(), logged.time(), logged.scope(), logged.decision(), after, e.getValue()));
        }
    }

    /** Definitions whose say differs, each with the message that shows it. */
    private static Map<Key, String> blame(LoggedRequest logged, Evaluator.Outcome now) {
        Map<Key, String> out = new LinkedHashMap<>();
        if (now instanceof Evaluator.Rejected r) {
            r.failed().ifPresent(f -> {
                for (MissingField m : f.missing()) {
                    if (m.refuses()) {
                        out.putIfAbsent(
                                new Key(m.policy(), m.definedAt().dotted()),
                                "the request lacks " + m.field() + ", which it needs: " + m.message());
                    }
                }
            });
            return out;
        }
        Map<Key, String> sayBefore = new HashMap<>();
        Map<Key, String> messageBefore = new HashMap<>();
        for (LoggedMatch m : logged.matches()) {
            Key k = new Key(m.policy(), m.definedAt());
            sayBefore.merge(k, say(m.enforcement(), m.effect()), ReplayTally::stronger);
            messageBefore.putIfAbsent(k, m.rule() + (m.message() == null ? "" : ": " + m.message()));
        }
        Map<Key, String> sayAfter = new LinkedHashMap<>();
        Map<Key, String> messageAfter = new HashMap<>();
        for (Match m : ((Evaluator.Decided) now).evaluation().matches()) {
            Key k = new Key(m.policy(), m.definedAt().dotted());
            sayAfter.merge(k, say(m.enforcement().value(), m.effect().value()), ReplayTally::stronger);
            messageAfter.putIfAbsent(k, m.rule() + ": " + m.message());
        }
        for (Map.Entry<Key, String> e : sayAfter.entrySet()) {
            String before = sayBefore.getOrDefault(e.getKey(), "");
            if (!before.equals(e.getValue())) {
                out.put(
                        e.getKey(),
                        (e.getValue().isEmpty()
                                        ? "now only audits: "
                                        : e.getValue().equals("deny") ? "now denies: " : "now warns: ")
                                + messageAfter.get(e.getKey()));
            }
        }
        for (Map.Entry<Key, String> e : sayBefore.entrySet()) {
            if (!e.getValue().isEmpty() && !sayAfter.containsKey(e.getKey())) {
                out.put(
                        e.getKey(),
                        "no longer matches (was " + e.getValue() + ": " + messageBefore.get(e.getKey()) + ")");
            }
        }
        return out;
    }

    /** {@code deny}, {@code warn} or {@code ""} (no say): what one matched rule contributes to the decision. */
    static String say(String enforcement, String effect) {
        if (Enforcement.BLOCK.value().equals(enforcement)) {
            return Effect.DENY.value().equals(effect) ? "deny" : "warn";
        }
        return Enforcement.WARN.value().equals(enforcement) ? "warn" : "";
    }

    private static String stronger(String a, String b) {
        return a.equals("deny") || b.equals("deny") ? "deny" : a.equals("warn") || b.equals("warn") ? "warn" : "";
    }

    private static String firstError(Evaluator.Rejected r) {
        Optional<FieldError> e = r.errors().stream().findFirst();
        return e.map(x -> "the request is no longer valid: " + x.field() + " " + x.message())
                .orElse("refused");
    }

    private static final Comparator<ReplayReport.FlipExample> NEWEST_FIRST =
            Comparator.comparing(ReplayReport.FlipExample::time).reversed().thenComparing(ReplayReport.FlipExample::id);

    private static void keepNewest(List<ReplayReport.FlipExample> examples, ReplayReport.FlipExample e) {
        examples.add(e);
        examples.sort(NEWEST_FIRST);
        if (examples.size() > EXAMPLES) {
            examples.remove(examples.size() - 1);
        }
    }

    void merge(ReplayTally other) {
        replayed += other.replayed;
        flipped += other.flipped;
        unreadable += other.unreadable;
        other.transitions.forEach((k, v) -> transitions.merge(k, v, Long::sum));
        other.policies.forEach((k, v) -> {
            PolicyCount c = policies.computeIfAbsent(k, x -> new PolicyCount());
            c.total += v.total;
            v.transitions.forEach((t, n) -> c.transitions.merge(t, n, Long::sum));
            v.examples.forEach(e -> keepNewest(c.examples, e));
        });
    }

    ReplayReport report(String source, ReplayWindow window, long millis) {
        List<ReplayReport.PolicyFlips> byPolicy = new ArrayList<>();
        policies.forEach((k, c) -> byPolicy.add(new ReplayReport.PolicyFlips(
                k.policy(), k.definedAt(), c.total, sortedByCount(c.transitions), c.examples)));
        byPolicy.sort(Comparator.comparingLong(ReplayReport.PolicyFlips::total)
                .reversed()
                .thenComparing(ReplayReport.PolicyFlips::policy)
                .thenComparing(ReplayReport.PolicyFlips::definedAt));
        return new ReplayReport(
                source,
                window.since(),
                window.limit(),
                replayed,
                flipped,
                unreadable,
                sortedByCount(transitions),
                byPolicy,
                millis);
    }

    private static Map<String, Long> sortedByCount(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
