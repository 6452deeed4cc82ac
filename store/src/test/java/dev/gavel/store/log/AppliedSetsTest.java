package dev.gavel.store.log;

import static dev.gavel.store.log.Rows.deny;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applied sets: one row per distinct set of policies, and per-policy reads that merge the sets. */
class AppliedSetsTest {
    @TempDir
    Path dir;

    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));

    private static final PolicyKey A = new PolicyKey("a", "acme");
    private static final PolicyKey B = new PolicyKey("b", "");
    private static final PolicyKey C = new PolicyKey("c", "acme.chat");
    private static final PolicyKey D = new PolicyKey("d", "acme");

    private static EvaluationRecord row(
            int n, Instant at, List<PolicyKey> applicable, String resource, LoggedMatch... m) {
        return new EvaluationRecord(
                EvaluationIds.next(),
                at,
                "acme.chat",
                "acme",
                "model",
                "deploy",
                m.length == 0 ? "allow" : "deny",
                "c1",
                10,
                "{\"n\":" + n + "}",
                List.of(m),
                applicable,
                resource);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("log.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("an evaluation costs one column, not a row per policy: 300 evaluations over 3 distinct sets store"
            + " 3 sets and their members once")
    void setsAreStoredOnce() throws Exception {
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            for (int i = 0; i < 300; i++) {
                List<PolicyKey> applicable = switch (i % 3) {
                    case 0 -> List.of(A, B);
                    case 1 -> List.of(B, A); // the same set in another order
                    default -> List.of(B, C, D);
                };
                log.append(row(i, T0.plusMillis(i), applicable, "m" + i));
            }
            // A match outside the applicable list joins the set: {B} plus the matched A is the set {A, B}.
            log.append(row(300, T0.plusMillis(300), List.of(B), "m", deny("a", "acme", "settings.total")));
            log.append(row(301, T0.plusMillis(301), List.of(), null)); // applied nothing: no set
            log.flush();
        }
        assertThat(count("SELECT count(*) FROM applied_set")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM applied_set_member")).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM evaluation WHERE applied_set IS NULL"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM sqlite_master WHERE name = 'evaluation_applied'"))
                .isZero();
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            assertThat(log.appliedEvaluations(A, 1, 10).total()).isEqualTo(201);
            assertThat(log.appliedEvaluations(C, 1, 10).total()).isEqualTo(100);
            assertThat(log.appliedEvaluations(B, 1, 10).total()).isEqualTo(301);
        }
    }

    @Test
    @DisplayName("a policy's pages merge its sets newest first, equal times by append order, exactly as a sort of"
            + " every evaluation would (random sets, times with ties, every page size)")
    void pagesMergeSets() {
        List<PolicyKey> keys = List.of(A, B, C, D);
        Random random = new Random(17);
        List<EvaluationRecord> appended = new ArrayList<>();
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            for (int i = 0; i < 400; i++) {
                List<PolicyKey> set = new ArrayList<>();
                for (PolicyKey k : keys) {
                    if (random.nextInt(3) == 0) {
                        set.add(k);
                    }
                }
                // times go back and forth and repeat, so the merge must order by (time, append order)
                EvaluationRecord r = row(i, T0.plusMillis(random.nextInt(60)), set, null);
                appended.add(r);
                log.append(r);
            }
            log.flush();
            for (PolicyKey k : keys) {
                List<Integer> expected = new ArrayList<>();
                List<EvaluationRecord> of = new ArrayList<>(appended.stream()
                        .filter(r -> r.applicable().contains(k))
                        .toList());
                of.sort(Comparator.comparing(EvaluationRecord::time)
                        .thenComparing(r -> appended.indexOf(r))
                        .reversed());
                of.forEach(r -> expected.add(Rows.n(r)));
                for (int size : List.of(1, 7, 50, 500)) {
                    List<Integer> got = new ArrayList<>();
                    for (int page = 1; ; page++) {
                        PolicyEvaluationPage p = log.appliedEvaluations(k, page, size);
                        assertThat(p.total()).isEqualTo(expected.size());
                        if (p.items().isEmpty()) {
                            break;
                        }
                        p.items().forEach(x -> got.add(Rows.n(x.evaluation())));
                    }
                    assertThat(got).as("%s, pages of %d", k, size).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    @DisplayName("a set's count and its newest-first page read one range of the (applied_set, time) index: no scan,"
            + " no sort")
    void setReadsAreIndexRanges() throws Exception {
        EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db"))).close();
        for (String sql : List.of(LogQueries.SET_COUNT, LogQueries.SET_NEWEST)) {
            StringBuilder plan = new StringBuilder();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("log.db"));
                    PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                p.setLong(1, 1);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(4)).append('\n');
                    }
                }
            }
            assertThat(plan.toString())
                    .as(sql)
                    .contains("USING COVERING INDEX evaluation_applied_set_time (applied_set=?)")
                    .doesNotContain("SCAN")
                    .doesNotContain("TEMP B-TREE");
        }
    }

    @Test
    @DisplayName("retention deletes the sets no evaluation or resource refers to any more, and keeps the others")
    void retentionDeletesOrphanSets() throws Exception {
        LogSettings settings =
                LogSettings.defaults(dir.resolve("log.db")).withRetention(Optional.of(Duration.ofDays(7)));
        Instant now = Instant.now();
        try (EvaluationLog log = EvaluationLog.open(settings)) {
            log.append(row(1, now.minus(Duration.ofDays(10)), List.of(A, D), "old"));
            log.append(row(2, now.minus(Duration.ofDays(10)), List.of(A, B), "old"));
            log.append(row(3, now, List.of(A, B), "new"));
            log.purgeExpired();
            assertThat(log.appliedEvaluations(A, 1, 10).total()).isEqualTo(1);
            assertThat(log.appliedEvaluations(D, 1, 10).total()).isZero();
            // the set {A, D} is gone; a new evaluation of it makes it again
            log.append(row(4, now, List.of(A, D), "again"));
            log.flush();
            assertThat(log.appliedEvaluations(D, 1, 10).total()).isEqualTo(1);
            assertThat(log.resourcesUsed(List.of(A, D), Instant.EPOCH))
                    .isEqualTo(Map.of(
                            A, new ResourceCounts(Map.of("model", 2L)), D, new ResourceCounts(Map.of("model", 1L))));
        }
        assertThat(count("SELECT count(*) FROM applied_set")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM applied_set_member")).isEqualTo(4);
    }

    @Test
    @DisplayName("a batch rolled back after it made a new set does not leave its id cached: later sets keep their"
            + " own members")
    void rollbackForgetsNewSets() throws Exception {
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            log.maxWriteAttempts = 1;
            log.append(row(0, T0, List.of(B), "m")); // a committed set, so the next one's id is not the first
            log.flush();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("log.db"))) {
                c.createStatement().execute("ALTER TABLE set_resource RENAME TO set_resource_gone");
            }
            log.append(row(1, T0.plusMillis(1), List.of(A), "m")); // makes {A}, then the batch fails
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (log.rowsLost() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(log.rowsLost()).isEqualTo(1);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("log.db"))) {
                c.createStatement().execute("ALTER TABLE set_resource_gone RENAME TO set_resource");
            }
            log.flush(); // a batch that commits: the log writes again
            log.append(row(2, T0.plusMillis(2), List.of(C), "m")); // takes the id {A} had in the rolled-back batch
            log.append(row(3, T0.plusMillis(3), List.of(A), "m"));
            log.flush();
            assertThat(log.appliedEvaluations(A, 1, 10).items())
                    .extracting(x -> Rows.n(x.evaluation()))
                    .containsExactly(3);
            assertThat(log.appliedEvaluations(C, 1, 10).items())
                    .extracting(x -> Rows.n(x.evaluation()))
                    .containsExactly(2);
        }
    }

    @Test
    @DisplayName("a log written before applied sets is migrated on open: per-policy pages, totals and resource"
            + " counts read the same, and the old tables are gone")
    void migratesTheOldLayout() throws Exception {
        Path file = dir.resolve("log.db");
        long t = LogTimes.micros(T0);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            // The layout of Gavel's log before applied sets (as of a3c6772), trimmed to the tables involved.
            s.execute(
                    "CREATE TABLE evaluation (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, time INTEGER NOT NULL,"
                            + " scope TEXT NOT NULL, tenant TEXT NOT NULL, resource_type TEXT, action TEXT, decision TEXT NOT NULL,"
                            + " commit_id TEXT NOT NULL, duration_micros INTEGER NOT NULL, request TEXT NOT NULL)");
            s.execute(
                    "CREATE TABLE evaluation_applied (policy TEXT NOT NULL, defined_at TEXT NOT NULL, time INTEGER NOT"
                            + " NULL, evaluation_seq INTEGER NOT NULL, PRIMARY KEY (policy, defined_at, time, evaluation_seq))"
                            + " WITHOUT ROWID");
            s.execute("CREATE INDEX applied_seq ON evaluation_applied(evaluation_seq)");
            s.execute("CREATE TABLE policy_resource (policy TEXT NOT NULL, defined_at TEXT NOT NULL, resource_type TEXT"
                    + " NOT NULL, tenant TEXT NOT NULL, resource TEXT NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY"
                    + " (policy, defined_at, resource_type, tenant, resource)) WITHOUT ROWID");
            for (int seq = 1; seq <= 6; seq++) {
                s.execute("INSERT INTO evaluation VALUES (" + seq + ", 'e" + seq + "', " + (t + seq)
                        + ", 'acme.chat', 'acme', 'model', 'deploy', 'allow', 'c1', 10, '{\"n\":" + seq + "}')");
                s.execute("INSERT INTO evaluation_applied VALUES ('a', 'acme', " + (t + seq) + ", " + seq + ")");
                if (seq % 2 == 0) {
                    s.execute("INSERT INTO evaluation_applied VALUES ('b', '', " + (t + seq) + ", " + seq + ")");
                }
            }
            s.execute("INSERT INTO policy_resource VALUES ('a', 'acme', 'model', 'acme', 'm1', " + t + ")");
            s.execute("INSERT INTO policy_resource VALUES ('a', 'acme', 'model', 'acme', 'm2', " + t + ")");
            s.execute("INSERT INTO policy_resource VALUES ('b', '', 'agent', 'acme', 'x', " + t + ")");
        }
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(file))) {
            assertThat(log.appliedEvaluations(A, 1, 10).items())
                    .extracting(x -> Rows.n(x.evaluation()))
                    .containsExactly(6, 5, 4, 3, 2, 1);
            assertThat(log.appliedEvaluations(B, 1, 2).total()).isEqualTo(3);
            assertThat(log.appliedEvaluations(B, 1, 2).items())
                    .extracting(x -> Rows.n(x.evaluation()))
                    .containsExactly(6, 4);
            // a new evaluation of {a, b} joins the migrated set; one of a resource seen before counts once
            log.append(row(7, T0.plusSeconds(1), List.of(A, B), "m1"));
            log.flush();
            assertThat(log.appliedEvaluations(B, 1, 10).total()).isEqualTo(4);
            assertThat(log.resourcesUsed(List.of(A, B), Instant.EPOCH))
                    .isEqualTo(Map.of(
                            A, new ResourceCounts(Map.of("model", 2L)),
                            B, new ResourceCounts(Map.of("agent", 1L, "model", 1L))));
        }
        assertThat(count("SELECT count(*) FROM sqlite_master WHERE name IN ('evaluation_applied', 'policy_resource')"))
                .isZero();
        assertThat(count("SELECT count(*) FROM applied_set")).isEqualTo(3); // {a}, {a, b}, and {b} for its resource
    }
}
