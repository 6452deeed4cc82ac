package dev.gavel.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceUsageTest {
    @TempDir
    Path dir;

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private static EvaluationRecord seen(
            Instant at, String tenant, String type, String name, List<PolicyKey> applied, LoggedMatch... m) {
        return new EvaluationRecord(
                EvaluationIds.next(),
                at,
                tenant + ".chat",
                tenant,
                type,
                "invoke",
                m.length == 0 ? "allow" : "deny",
                "c1",
                10,
                "{}",
                List.of(m),
                applied,
                name);
    }

    @Test
    @DisplayName("distinct resources by type per definition in a window: repeats count once, other policies and"
            + " the window's edge are kept apart, and the counts survive a reopen")
    void distinctByType() {
        PolicyKey limits = new PolicyKey("limits", "acme");
        PolicyKey eu = new PolicyKey("eu", "");
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            for (int i = 0; i < 5; i++) {
                log.append(seen(NOW.minusSeconds(i), "acme", "model", "m1", List.of(limits, eu)));
            }
            log.append(seen(NOW, "acme", "model", "m2", List.of(limits)));
            log.append(seen(NOW, "acme", "agent", "a1", List.of(), Rows.deny("limits", "acme", "settings.total")));
            log.append(seen(NOW, "acme", "sandbox", null, List.of(limits))); // names no resource: not counted
            log.append(seen(NOW.minus(Duration.ofDays(40)), "acme", "function", "f-old", List.of(limits)));
            log.append(seen(NOW, "globex", "model", "m1", List.of(eu))); // same name, another tenant: another resource
        }
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            Map<PolicyKey, ResourceCounts> used = log.resourcesUsed(
                    List.of(limits, eu, new PolicyKey("none", "acme")), NOW.minus(Duration.ofDays(30)));
            assertThat(used.get(limits).byType()).isEqualTo(Map.of("model", 2L, "agent", 1L));
            assertThat(used.get(eu).of("model")).isEqualTo(2);
            assertThat(used.get(new PolicyKey("none", "acme"))).isEqualTo(ResourceCounts.NONE);
            assertThat(log.resourcesUsed(List.of(limits), NOW.minus(Duration.ofDays(60)))
                            .get(limits)
                            .of("function"))
                    .isEqualTo(1);
        }
    }

    @Test
    @DisplayName("retention deletes resources last seen before its cutoff and keeps those seen again since")
    void retention() {
        PolicyKey limits = new PolicyKey("limits", "acme");
        LogSettings settings =
                LogSettings.defaults(dir.resolve("log.db")).withRetention(java.util.Optional.of(Duration.ofDays(7)));
        try (EvaluationLog log = EvaluationLog.open(settings)) {
            log.append(seen(NOW.minus(Duration.ofDays(10)), "acme", "model", "old", List.of(limits)));
            log.append(seen(NOW.minus(Duration.ofDays(10)), "acme", "model", "again", List.of(limits)));
            log.append(seen(NOW, "acme", "model", "again", List.of(limits)));
            log.purgeExpired();
            assertThat(log.resourcesUsed(List.of(limits), Instant.EPOCH)
                            .get(limits)
                            .byType())
                    .isEqualTo(Map.of("model", 1L));
        }
    }

    @Test
    @DisplayName("a read searches the definition's sets, then each set's range of the primary key: it never scans"
            + " the table or the log")
    void readIsARangeOfThePrimaryKey() throws Exception {
        Path file = dir.resolve("log.db");
        EvaluationLog.open(LogSettings.defaults(file)).close();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + ResourceUsage.COUNT)) {
            p.setString(1, "limits");
            p.setString(2, "acme");
            p.setLong(3, 0);
            StringBuilder plan = new StringBuilder();
            try (java.sql.ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(4)).append('\n');
                }
            }
            assertThat(plan.toString())
                    .contains("SEARCH applied_set_member USING PRIMARY KEY (policy=? AND defined_at=?)")
                    .contains("SEARCH set_resource USING PRIMARY KEY (set_id=?)")
                    .doesNotContain("SCAN set_resource")
                    .doesNotContain("SCAN applied_set_member")
                    .doesNotContain("evaluation");
        }
    }
}
