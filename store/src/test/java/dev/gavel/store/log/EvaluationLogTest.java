package dev.gavel.store.log;

import static dev.gavel.store.log.Rows.deny;
import static dev.gavel.store.log.Rows.row;
import static dev.gavel.store.log.Rows.warn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationLogTest {
    @TempDir
    Path dir;

    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));

    private LogSettings settings() {
        return LogSettings.defaults(dir.resolve("log.db"));
    }

    @Test
    @DisplayName("a row reads back with every field and its matches in order")
    void contents() {
        EvaluationRecord r = new EvaluationRecord(
                EvaluationIds.next(),
                T0,
                "acme.chat.bot.prod",
                "acme",
                "agent",
                "invoke",
                "deny",
                "abc123",
                421,
                "{\"action\":\"invoke\"}",
                List.of(deny("eu-residency", "acme", "settings.allowed"), warn("guardrails", "", "experimental")),
                List.of());
        try (EvaluationLog log = EvaluationLog.open(settings().withDurability(Durability.SYNC))) {
            log.append(r);
            assertThat(log.find(r.id())).contains(r);
            assertThat(log.count()).isEqualTo(1);
            assertThat(log.find("nope")).isEmpty();
        }
    }

    @Test
    @DisplayName("close writes every queued row: reopening finds all of them")
    void closeFlushes() {
        int n = 5_000;
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            for (int i = 0; i < n; i++) {
                log.append(row(i, T0.plusMillis(i), "acme", "allow"));
            }
        }
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            assertThat(log.count()).isEqualTo(n);
        }
    }

    @Test
    @DisplayName(
            "a writer that cannot commit gives up after its bounded retries, counts the lost rows, and refuses new ones")
    void writerFailureIsBounded() throws Exception {
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            log.maxWriteAttempts = 3;
            log.append(row(1, T0, "acme", "allow"));
            log.flush();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("log.db"))) {
                c.createStatement().execute("ALTER TABLE evaluation RENAME TO evaluation_gone");
            }
            log.append(row(2, T0.plusMillis(1), "acme", "deny"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (log.rowsLost() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(log.rowsLost()).isEqualTo(1);
            assertThat(log.writeFailures()).isGreaterThanOrEqualTo(3);
            assertThat(log.failure()).isPresent();
            // No new row is acknowledged while the log cannot write.
            assertThatThrownBy(() -> log.append(row(3, T0.plusMillis(2), "acme", "allow")))
                    .isInstanceOf(LogUnavailableException.class)
                    .hasMessageContaining("cannot write");
        }
    }

    @Test
    @DisplayName("an append after close is refused, not silently dropped")
    void appendAfterClose() {
        EvaluationLog log = EvaluationLog.open(settings());
        log.close();
        assertThatThrownBy(() -> log.append(row(1, T0, "", "allow"))).isInstanceOf(LogUnavailableException.class);
    }

    @Test
    @DisplayName("cursor pages of the limit's size cover every row once, newest first, and the last page has no cursor")
    void cursorPagination() {
        try (EvaluationLog log = EvaluationLog.open(settings().withDurability(Durability.SYNC))) {
            for (int i = 0; i < 200; i++) {
                log.append(row(
                        i, T0.plusSeconds(i / 2), i % 2 == 0 ? "acme.chat" : "globex", i % 5 == 0 ? "deny" : "allow"));
            }
            List<Integer> seen = collect(log, EvaluationFilter.ALL, 50);
            assertThat(seen).hasSize(200).doesNotHaveDuplicates();
            // newest first: time descending, then insertion order descending within the same time
            List<Integer> expected = new ArrayList<>();
            for (int i = 199; i >= 0; i--) {
                expected.add(i);
            }
            assertThat(seen).isEqualTo(expected);
            EvaluationPage last = log.list(EvaluationFilter.ALL, Optional.empty(), 200);
            assertThat(last.evaluations()).hasSize(200);
            assertThat(last.nextCursor()).isEmpty();
            EvaluationPage one = log.list(EvaluationFilter.ALL, Optional.empty(), 199);
            assertThat(one.nextCursor()).isPresent();
            assertThat(log.list(EvaluationFilter.ALL, one.nextCursor(), 199).evaluations())
                    .extracting(Rows::n)
                    .containsExactly(0);
            assertThat(collect(log, EvaluationFilter.ALL.withDecision("deny"), 7))
                    .hasSize(40)
                    .allMatch(i -> i % 5 == 0);
            assertThat(collect(log, EvaluationFilter.ALL.withScope("acme"), 10)).isEmpty();
            assertThat(collect(log, EvaluationFilter.ALL.withScopePrefix("acme"), 30))
                    .hasSize(100)
                    .allMatch(i -> i % 2 == 0);
            assertThat(collect(log, EvaluationFilter.ALL.withScopePrefix("acm"), 30))
                    .isEmpty();
            assertThat(collect(log, EvaluationFilter.ALL.withCommit("c1"), 30)).hasSize(67);
            assertThat(collect(
                            log,
                            EvaluationFilter.ALL.withSince(T0.plusSeconds(50)).withUntil(T0.plusSeconds(60)),
                            3))
                    .containsExactlyInAnyOrderElementsOf(range(100, 120));
            assertThat(collect(log, EvaluationFilter.ALL.withTenants(Set.of("globex")), 33))
                    .hasSize(100)
                    .allMatch(i -> i % 2 == 1);
            assertThat(collect(log, EvaluationFilter.ALL.withTenants(Set.of()), 33))
                    .isEmpty();
        }
    }

    @Test
    @DisplayName("a policy filter lists each evaluation once even when several of its rules matched")
    void policyFilter() {
        try (EvaluationLog log = EvaluationLog.open(settings().withDurability(Durability.SYNC))) {
            for (int i = 0; i < 30; i++) {
                LoggedMatch[] m = i % 3 == 0
                        ? new LoggedMatch[] {deny("limits", "", "settings.input"), deny("limits", "", "settings.total")}
                        : new LoggedMatch[] {warn("guard", "acme", "r")};
                log.append(row(i, T0.plusSeconds(i), "acme", i % 3 == 0 ? "deny" : "warn", m));
            }
            assertThat(collect(log, EvaluationFilter.ALL.withPolicy("limits"), 4))
                    .hasSize(10)
                    .doesNotHaveDuplicates()
                    .allMatch(i -> i % 3 == 0);
            assertThat(collect(log, EvaluationFilter.ALL.withPolicy("guard").withDecision("deny"), 4))
                    .isEmpty();
            EvaluationRecord first = log.list(EvaluationFilter.ALL.withPolicy("limits"), Optional.empty(), 1)
                    .evaluations()
                    .get(0);
            assertThat(first.matches())
                    .extracting(LoggedMatch::rule)
                    .containsExactly("settings.input", "settings.total");
        }
    }

    @Test
    @DisplayName("a cursor this log did not issue is refused")
    void badCursor() {
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            assertThatThrownBy(() -> log.list(EvaluationFilter.ALL, Optional.of("garbage!"), 10))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @DisplayName("per-policy pages: total counts evaluations, pages of 100 and the page past the end")
    void policyPages() {
        PolicyKey key = new PolicyKey("limits", "acme");
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            for (int i = 0; i < 250; i++) {
                log.append(row(
                        i,
                        T0.plusMillis(i),
                        "acme.chat",
                        "deny",
                        deny("limits", "acme", "settings.input"),
                        deny("limits", "acme", "settings.total"),
                        deny("limits", "", "settings.input")));
            }
        }
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            PolicyEvaluationPage p1 = log.policyEvaluations(key, 1, 100);
            assertThat(p1.total()).isEqualTo(250);
            assertThat(p1.items()).hasSize(100);
            assertThat(p1.items().get(0).evaluation()).extracting(Rows::n).isEqualTo(249);
            assertThat(p1.items().get(0).match().rule()).isEqualTo("settings.input");
            assertThat(p1.items().get(0).evaluation().matches()).hasSize(3);
            PolicyEvaluationPage p3 = log.policyEvaluations(key, 3, 100);
            assertThat(p3.items()).hasSize(50);
            assertThat(p3.items().get(49).evaluation()).extracting(Rows::n).isEqualTo(0);
            assertThat(log.policyEvaluations(key, 4, 100).items()).isEmpty();
            Set<Integer> all = new HashSet<>();
            for (int page = 1; page <= 3; page++) {
                log.policyEvaluations(key, page, 100).items().forEach(it -> all.add(Rows.n(it.evaluation())));
            }
            assertThat(all).hasSize(250);
            assertThat(log.policyEvaluations(new PolicyKey("limits", "globex"), 1, 10)
                            .total())
                    .isZero();
        }
    }

    @Test
    @DisplayName("usage counts evaluations that ran a policy, and those it denied or warned, over 24 h and 7 days")
    void usage() {
        Instant now = Instant.now();
        PolicyKey limits = new PolicyKey("limits", "");
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            for (int i = 0; i < 10; i++) {
                Instant t = i < 6 ? now.minus(Duration.ofMinutes(5)) : now.minus(Duration.ofDays(3));
                LoggedMatch[] m = i % 2 == 0
                        ? new LoggedMatch[] {deny("limits", "", "a"), deny("limits", "", "b")}
                        : new LoggedMatch[] {};
                EvaluationRecord r = row(i, t, "acme", m.length > 0 ? "deny" : "allow", m);
                log.append(new EvaluationRecord(
                        r.id(),
                        r.time(),
                        r.scope(),
                        r.tenant(),
                        r.resourceType(),
                        r.action(),
                        r.decision(),
                        r.commit(),
                        r.durationMicros(),
                        r.requestJson(),
                        r.matches(),
                        List.of(limits)));
            }
            log.append(row(99, now.minus(Duration.ofDays(9)), "acme", "deny", deny("limits", "", "a")));
            log.append(row(98, now, "acme", "warn", warn("guard", "acme", "r")));
        }
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            var usage = log.usage(now);
            assertThat(usage.get(limits))
                    .isEqualTo(new PolicyUsage(new PolicyUsage.Counts(6, 3, 0), new PolicyUsage.Counts(10, 5, 0)));
            assertThat(usage.get(new PolicyKey("guard", "acme")).last24h()).isEqualTo(new PolicyUsage.Counts(1, 0, 1));
            // The one-policy read (used by policy responses) agrees with the all-policies one, key by key.
            usage.forEach((key, u) ->
                    assertThat(log.usage(key, now)).as(key.toString()).isEqualTo(u));
            assertThat(log.usage(new PolicyKey("never-ran", ""), now)).isEqualTo(PolicyUsage.NONE);
        }
    }

    @Test
    @DisplayName("retention deletes rows older than the limit in chunks and keeps the rest and their matches")
    void retention() {
        Instant now = Instant.now();
        LogSettings s =
                settings().withRetention(Optional.of(Duration.ofDays(30))).withRetentionChunk(7);
        try (EvaluationLog log = EvaluationLog.open(s)) {
            for (int i = 0; i < 100; i++) {
                Instant t = i < 45 ? now.minus(Duration.ofDays(31)).plusSeconds(i) : now.minus(Duration.ofDays(29));
                log.append(row(i, t, "acme", "deny", deny("limits", "", "a")));
            }
            log.purgeExpired();
            // the pass at start-up may already have taken the first rows: count what all passes deleted
            assertThat(log.rowsDeleted()).isEqualTo(45);
            assertThat(log.count()).isEqualTo(55);
            assertThat(collect(log, EvaluationFilter.ALL, 100)).allMatch(i -> i >= 45);
            assertThat(log.policyEvaluations(new PolicyKey("limits", ""), 1, 10).total())
                    .isEqualTo(55);
            assertThat(log.purgeExpired()).isZero();
        }
    }

    @Test
    @DisplayName("without retention nothing is deleted")
    void noRetention() {
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            log.append(row(1, Instant.now().minus(Duration.ofDays(400)), "acme", "allow"));
            assertThat(log.purgeExpired()).isZero();
            assertThat(log.count()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a slow writer makes appends wait instead of dropping: every row lands and the waits are counted")
    void backPressure() throws Exception {
        LogSettings slow =
                settings().withQueue(16, Duration.ofSeconds(30)).withMaxBatch(8).withWriterDelay(Duration.ofMillis(5));
        int threads = 4;
        int perThread = 150;
        try (EvaluationLog log = EvaluationLog.open(slow)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        log.append(row(base + i, T0, "acme", "allow"));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(log.backPressureWaits()).isPositive();
        }
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            assertThat(log.count()).isEqualTo(threads * perThread);
            assertThat(collect(log, EvaluationFilter.ALL, 100))
                    .doesNotHaveDuplicates()
                    .hasSize(threads * perThread);
        }
    }

    @Test
    @DisplayName(
            "batch durability: an append made while the writer is more than maxLag behind returns only once the older rows are committed")
    void lagBoundHoldsAppendsUntilOlderRowsCommit() throws Exception {
        LogSettings slow = settings().withMaxLag(Duration.ofMillis(50)).withWriterDelay(Duration.ofMillis(400));
        try (EvaluationLog log = EvaluationLog.open(slow)) {
            log.append(row(0, T0, "acme", "allow")); // the writer takes it, then stalls 400 ms before committing
            awaitLag(log, Duration.ofMillis(60));
            log.append(row(1, T0, "acme", "allow"));
            assertThat(log.count())
                    .as("row 0 was committed before row 1 was acknowledged")
                    .isGreaterThanOrEqualTo(1);
            assertThat(log.backPressureWaits()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName(
            "without a lag bound an append is acknowledged while older rows are still uncommitted (what the bound prevents)")
    void withoutLagBoundAppendsDoNotWait() throws Exception {
        LogSettings slow = settings().withMaxLag(Duration.ZERO).withWriterDelay(Duration.ofMillis(400));
        try (EvaluationLog log = EvaluationLog.open(slow)) {
            log.append(row(0, T0, "acme", "allow"));
            awaitLag(log, Duration.ofMillis(60));
            log.append(row(1, T0, "acme", "allow"));
            assertThat(log.count()).isZero();
            assertThat(log.backPressureWaits()).isZero();
        }
    }

    private static void awaitLag(EvaluationLog log, Duration lag) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (log.writerLag().compareTo(lag) <= 0) {
            assertThat(System.nanoTime()).as("the writer fell %s behind", lag).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    @Test
    @DisplayName("the write-ahead log is copied into the database by passive checkpoints on their own thread")
    void checkpointsRunOffTheWriter() throws Exception {
        LogSettings s = settings();
        try (EvaluationLog log = EvaluationLog.open(s)) {
            for (int i = 0; i < 3_000; i++) {
                log.append(row(
                        i,
                        T0,
                        "acme",
                        "deny",
                        new LoggedMatch("limits", "acme", "block", "deny", "r", "too long " + i)));
            }
            log.flush();
            long before = log.checkpoints();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (log.checkpoints() < before + 2) {
                assertThat(System.nanoTime()).as("a checkpoint ran").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(java.nio.file.Files.size(s.file()))
                    .as("rows were copied from the WAL into the database file")
                    .isGreaterThan(200_000);
        }
    }

    @Test
    @DisplayName("a queue that stays full past the bounded wait refuses the row instead of waiting forever")
    void boundedWait() {
        LogSettings stuck =
                settings().withQueue(1, Duration.ofMillis(1)).withMaxBatch(1).withWriterDelay(Duration.ofMillis(300));
        try (EvaluationLog log = EvaluationLog.open(stuck)) {
            int refused = 0;
            for (int i = 0; i < 5; i++) {
                try {
                    log.append(row(i, T0, "acme", "allow"));
                } catch (LogUnavailableException e) {
                    refused++;
                }
            }
            assertThat(refused).isPositive();
            assertThat(log.backPressureWaits()).isGreaterThanOrEqualTo(refused);
        }
    }

    @Test
    @DisplayName("breaker states survive a reopen and a reset replaces the open state")
    void breakers() {
        PolicyKey k = new PolicyKey("limits", "acme");
        Instant opened = T0;
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            log.saveBreaker(new BreakerState(k, true, Optional.of(opened), Optional.of("deny rate 0.9"), opened));
        }
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            assertThat(log.breakers())
                    .containsExactly(
                            new BreakerState(k, true, Optional.of(opened), Optional.of("deny rate 0.9"), opened));
            log.saveBreaker(new BreakerState(k, false, Optional.of(opened), Optional.empty(), opened.plusSeconds(5)));
            assertThat(log.breakers())
                    .singleElement()
                    .satisfies(b -> assertThat(b.open()).isFalse());
        }
    }

    @Test
    @DisplayName("ids are time-ordered: later ids sort after earlier ones, also within one millisecond")
    void idsAreOrdered() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(EvaluationIds.next(1_000L + i / 5_000));
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(java.util.UUID.fromString(ids.get(0)).version()).isEqualTo(7);
    }

    private static List<Integer> collect(EvaluationLog log, EvaluationFilter f, int limit) {
        List<Integer> out = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            EvaluationPage p = log.list(f, cursor, limit);
            assertThat(p.evaluations().size()).isLessThanOrEqualTo(limit);
            p.evaluations().forEach(e -> out.add(Rows.n(e)));
            cursor = p.nextCursor();
            assertThat(++pages).isLessThan(10_000);
        } while (cursor.isPresent());
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    @DisplayName("no page of the list sorts, whatever the filters and the cursor: every plan is one index range")
    void listPagesNeverSort() {
        try (EvaluationLog log = EvaluationLog.open(settings())) {
            for (int i = 0; i < 300; i++) {
                log.append(row(
                        i,
                        T0.plusMillis(i),
                        i % 2 == 0 ? "acme.chat" : "globex",
                        i % 3 == 0 ? "deny" : "allow",
                        deny("eu-residency", "acme", "settings.allowed")));
            }
            log.flush();
            String cursor = log.list(EvaluationFilter.ALL, Optional.empty(), 10)
                    .nextCursor()
                    .orElseThrow();
            List<EvaluationFilter> filters = List.of(
                    EvaluationFilter.ALL,
                    EvaluationFilter.ALL.withSince(T0),
                    EvaluationFilter.ALL.withSince(T0).withUntil(T0.plusSeconds(60)),
                    EvaluationFilter.ALL.withScopePrefix("acme"),
                    EvaluationFilter.ALL.withTenants(Set.of("acme")).withSince(T0),
                    EvaluationFilter.ALL.withDecision("deny").withSince(T0),
                    EvaluationFilter.ALL.withPolicy("eu-residency").withSince(T0));
            for (EvaluationFilter f : filters) {
                for (Optional<String> c : List.of(Optional.<String>empty(), Optional.of(cursor))) {
                    assertThat(log.listPlan(f, c, 50)).as("%s after %s", f, c).doesNotContain("TEMP B-TREE");
                }
            }
        }
    }
}
