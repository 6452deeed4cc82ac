package dev.gavel.api.server.eval;

import dev.gavel.store.log.BreakerState;
import dev.gavel.store.log.EvaluationFilter;
import dev.gavel.store.log.EvaluationPage;
import dev.gavel.store.log.EvaluationRecord;
import dev.gavel.store.log.EvaluationStore;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.store.log.LoggedMatch;
import dev.gavel.store.log.PolicyEvaluationPage;
import dev.gavel.store.log.PolicyKey;
import dev.gavel.store.log.PolicyUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The evaluation store in memory: the same answers as the SQLite log for what the routes ask (filters,
 * newest-first keyset pages, per-policy pages, usage by hour windows, breakers), so a route can be tested
 * without a database. {@link #failWith} makes appends refuse, as a log whose writer cannot commit does.
 */
final class InMemoryEvaluationStore implements EvaluationStore {
    private record Row(long seq, EvaluationRecord record) {}

    private final List<Row> rows = new ArrayList<>();
    private final Map<PolicyKey, BreakerState> breakers = new ConcurrentHashMap<>();
    private volatile String failing;
    private volatile boolean closed;

    void failWith(String error) {
        failing = error;
    }

    synchronized int size() {
        return rows.size();
    }

    @Override
    public synchronized void append(EvaluationRecord record) {
        if (closed) {
            throw new LogUnavailableException("the evaluation store is closed");
        }
        if (failing != null) {
            throw new LogUnavailableException("the evaluation store cannot write: " + failing);
        }
        rows.add(new Row(rows.size() + 1, record));
    }

    private synchronized List<Row> newestFirst(Predicate<EvaluationRecord> keep) {
        return rows.stream()
                .filter(r -> keep.test(r.record()))
                .sorted(Comparator.comparing((Row r) -> r.record().time())
                        .thenComparingLong(Row::seq)
                        .reversed())
                .toList();
    }

    @Override
    public synchronized Optional<EvaluationRecord> find(String id) {
        return rows.stream().map(Row::record).filter(r -> r.id().equals(id)).findFirst();
    }

    @Override
    public EvaluationPage list(EvaluationFilter f, Optional<String> cursor, int limit) {
        long after;
        try {
            after = cursor.map(Long::parseLong).orElse(Long.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a cursor of this store: " + cursor.get());
        }
        List<Row> matching = newestFirst(r -> matches(f, r));
        // the cursor is the seq of the page's last row; rows are found by position after it
        int start = 0;
        if (after != Long.MAX_VALUE) {
            start = matching.size();
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).seq() == after) {
                    start = i + 1;
                    break;
                }
            }
        }
        List<Row> page = matching.subList(start, Math.min(matching.size(), start + limit));
        Optional<String> next = start + limit < matching.size()
                ? Optional.of(Long.toString(page.get(page.size() - 1).seq()))
                : Optional.empty();
        return new EvaluationPage(page.stream().map(Row::record).toList(), next);
    }

    private static boolean matches(EvaluationFilter f, EvaluationRecord r) {
        return f.scope().map(r.scope()::equals).orElse(true)
                && f.scopePrefix()
                        .map(p -> r.scope().equals(p) || r.scope().startsWith(p + ".") || p.isEmpty())
                        .orElse(true)
                && f.policy()
                        .map(p -> r.matches().stream().anyMatch(m -> m.policy().equals(p)))
                        .orElse(true)
                && f.decision().map(r.decision()::equals).orElse(true)
                && f.commit().map(r.commit()::equals).orElse(true)
                && f.since().map(t -> !r.time().isBefore(t)).orElse(true)
                && f.until().map(t -> r.time().isBefore(t)).orElse(true)
                && f.tenants().map(ts -> ts.contains(r.tenant())).orElse(true);
    }

    @Override
    public PolicyEvaluationPage policyEvaluations(PolicyKey key, int page, int pageSize) {
        return page(newestFirst(r -> firstMatch(r, key) != null), key, page, pageSize);
    }

    @Override
    public PolicyEvaluationPage appliedEvaluations(PolicyKey key, int page, int pageSize) {
        return page(newestFirst(r -> r.applicable().contains(key) || firstMatch(r, key) != null), key, page, pageSize);
    }

    private static PolicyEvaluationPage page(List<Row> all, PolicyKey key, int page, int pageSize) {
        int from = Math.min(all.size(), (page - 1) * pageSize);
        List<PolicyEvaluationPage.Item> items = all.subList(from, Math.min(all.size(), from + pageSize)).stream()
                .map(r -> new PolicyEvaluationPage.Item(r.record(), firstMatch(r.record(), key)))
                .toList();
        return new PolicyEvaluationPage(items, all.size(), page, pageSize);
    }

    private static LoggedMatch firstMatch(EvaluationRecord r, PolicyKey key) {
        return r.matches().stream().filter(m -> m.key().equals(key)).findFirst().orElse(null);
    }

    @Override
    public Map<PolicyKey, PolicyUsage> usage(Instant now) {
        Map<PolicyKey, PolicyUsage> out = new HashMap<>();
        for (Row row : newestFirst(r -> true)) {
            for (PolicyKey k : keys(row.record())) {
                out.computeIfAbsent(k, x -> usage(x, now));
            }
        }
        out.values().removeIf(u -> u.last7d().evaluations() == 0);
        return out;
    }

    @Override
    public PolicyUsage usage(PolicyKey key, Instant now) {
        // the log rolls up by hour: windows start at the hour 23 (167) hours before the current one
        long hourNow = now.getEpochSecond() / 3600;
        long[] day = new long[3];
        long[] week = new long[3];
        for (Row row : newestFirst(r -> keys(r).contains(key))) {
            long hour = row.record().time().getEpochSecond() / 3600;
            long[] c = counts(row.record(), key);
            if (hour >= hourNow - 24 + 1) {
                add(day, c);
            }
            if (hour >= hourNow - 7 * 24 + 1) {
                add(week, c);
            }
        }
        return new PolicyUsage(
                new PolicyUsage.Counts(day[0], day[1], day[2]), new PolicyUsage.Counts(week[0], week[1], week[2]));
    }

    @Override
    public Map<PolicyKey, dev.gavel.store.log.ResourceCounts> resourcesUsed(
            java.util.Collection<PolicyKey> keys, Instant since) {
        Map<PolicyKey, dev.gavel.store.log.ResourceCounts> out = new HashMap<>();
        for (PolicyKey k : keys) {
            // distinct (tenant, resource name) per resource type, as the log's summary counts them
            Map<String, Set<String>> byType = new HashMap<>();
            for (Row row :
                    newestFirst(r -> !r.time().isBefore(since) && r.resourceName() != null && keys(r).contains(k))) {
                byType.computeIfAbsent(row.record().resourceType(), t -> new java.util.HashSet<>())
                        .add(row.record().tenant() + "/" + row.record().resourceName());
            }
            Map<String, Long> counts = new HashMap<>();
            byType.forEach((t, names) -> counts.put(t, (long) names.size()));
            out.put(
                    k,
                    counts.isEmpty()
                            ? dev.gavel.store.log.ResourceCounts.NONE
                            : new dev.gavel.store.log.ResourceCounts(counts));
        }
        return out;
    }

    private static Set<PolicyKey> keys(EvaluationRecord r) {
        Set<PolicyKey> keys = new LinkedHashSet<>(r.applicable());
        r.matches().forEach(m -> keys.add(m.key()));
        return keys;
    }

    /** One evaluation counts once per policy: denied or warned when any of its matching rules did. */
    private static long[] counts(EvaluationRecord r, PolicyKey key) {
        long[] c = {1, 0, 0};
        for (LoggedMatch m : r.matches()) {
            if (m.key().equals(key)) {
                c[1] |= m.effect().equals("deny") ? 1 : 0;
                c[2] |= m.effect().equals("warn") ? 1 : 0;
            }
        }
        return c;
    }

    private static void add(long[] total, long[] c) {
        for (int i = 0; i < 3; i++) {
            total[i] += c[i];
        }
    }

    @Override
    public void saveBreaker(BreakerState state) {
        breakers.put(state.key(), state);
    }

    @Override
    public List<BreakerState> breakers() {
        return breakers.values().stream()
                .sorted(Comparator.comparing((BreakerState b) -> b.key().policy())
                        .thenComparing(b -> b.key().definedAt()))
                .toList();
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failing);
    }

    @Override
    public void flush() {
        // appends are synchronous: nothing is ever pending
    }

    @Override
    public void close() {
        closed = true;
    }
}
