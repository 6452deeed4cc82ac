package dev.gavel.store.log;

import static dev.gavel.store.log.Rows.deny;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedEvaluationsTest {
    @TempDir
    Path dir;

    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));

    private static EvaluationRecord applied(int n, String decision, List<PolicyKey> applicable, LoggedMatch... m) {
        return new EvaluationRecord(
                EvaluationIds.next(),
                T0.plusMillis(n),
                "acme.chat",
                "acme",
                "model",
                "deploy",
                decision,
                "c1",
                10,
                "{\"n\":" + n + "}",
                List.of(m),
                applicable);
    }

    @Test
    @DisplayName("a policy's history lists the evaluations it passed as well as those it denied, paged with a total")
    void passesAndDenies() {
        PolicyKey limits = new PolicyKey("limits", "acme");
        PolicyKey other = new PolicyKey("other", "acme");
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            for (int i = 0; i < 30; i++) {
                if (i % 3 == 0) {
                    log.append(applied(i, "deny", List.of(limits, other), deny("limits", "acme", "settings.total")));
                } else {
                    log.append(applied(i, "allow", List.of(limits, other)));
                }
            }
            log.append(applied(30, "allow", List.of(other))); // limits did not apply
        }
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            PolicyEvaluationPage p1 = log.appliedEvaluations(limits, 1, 20);
            assertThat(p1.total()).isEqualTo(30);
            assertThat(p1.items()).hasSize(20);
            assertThat(Rows.n(p1.items().get(0).evaluation())).isEqualTo(29);
            assertThat(p1.items().get(0).match()).isNull(); // 29 passed
            assertThat(Rows.n(p1.items().get(2).evaluation())).isEqualTo(27);
            assertThat(p1.items().get(2).match().rule()).isEqualTo("settings.total");
            assertThat(log.appliedEvaluations(limits, 2, 20).items()).hasSize(10);
            assertThat(log.appliedEvaluations(other, 1, 100).total()).isEqualTo(31);
            assertThat(log.appliedEvaluations(new PolicyKey("limits", "globex"), 1, 10)
                            .total())
                    .isZero();
            // the matched-only page is unchanged: 10 denies
            assertThat(log.policyEvaluations(limits, 1, 100).total()).isEqualTo(10);
        }
    }
}
