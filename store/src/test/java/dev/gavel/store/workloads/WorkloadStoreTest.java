package dev.gavel.store.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadStoreTest {
    static final String P1 = "11111111-1111-4111-8111-111111111111";
    static final String P2 = "22222222-2222-4222-8222-222222222222";
    static final String J1 = "33333333-3333-4333-8333-333333333333";
    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    static ClusterReport report() {
        return new ClusterReport(
                List.of(
                        new StoredPod(P1, "web", "default", "Running", Map.of("app", "web")),
                        new StoredPod(P2, "train-0", "batch", "Running", Map.of())),
                List.of(new StoredJob(J1, "train", "batch", 5, "Running", List.of(P2))));
    }

    @Test
    @DisplayName("a report round-trips, replaces the previous one, and survives a reopen at the newest schema version")
    void roundTrip() {
        Path file = dir.resolve("workloads.db");
        try (WorkloadStore s = WorkloadStore.open(file)) {
            assertThat(s.version()).isEqualTo(WorkloadSchema.latest());
            s.replace(
                    "c1",
                    "acme",
                    report(),
                    T,
                    "abc",
                    List.of(
                            new WorkloadMatch("c1", "pod", P1, "acme", "web-beat", Optional.of(60L)),
                            new WorkloadMatch("c1", "job", J1, "acme", "jobs-beat", Optional.of(30L))));
            assertThat(s.report("c1")).isEqualTo(report());
            assertThat(s.cluster("c1")).get().satisfies(c -> {
                assertThat(c.tenant()).isEqualTo("acme");
                assertThat(c.pods()).isEqualTo(2);
                assertThat(c.jobs()).isEqualTo(1);
                assertThat(c.matchedCommit()).contains("abc");
            });
            s.replace(
                    "c1",
                    "acme",
                    new ClusterReport(List.of(report().pods().get(0)), List.of()),
                    T.plusSeconds(5),
                    "abc",
                    List.of());
            assertThat(s.report("c1").jobs()).isEmpty();
            assertThat(s.counts(Optional.of(java.util.Set.of("acme")))).isEmpty();
        }
        try (WorkloadStore s = WorkloadStore.open(file)) {
            assertThat(s.report("c1").pods()).extracting(StoredPod::id).containsExactly(P1);
            assertThat(s.cluster("c1").orElseThrow().reportedAt()).isEqualTo(T.plusSeconds(5));
        }
    }

    @Test
    @DisplayName("another tenant cannot take a cluster over, and its refused report writes nothing")
    void ownership() {
        try (WorkloadStore s = WorkloadStore.open(dir.resolve("w.db"))) {
            s.replace("c1", "acme", report(), T, "abc", List.of());
            assertThatThrownBy(() ->
                            s.replace("c1", "globex", new ClusterReport(List.of(), List.of()), T, "abc", List.of()))
                    .isInstanceOf(ClusterOwnedException.class);
            assertThat(s.report("c1")).isEqualTo(report());
            assertThat(s.clusters(Optional.of(java.util.Set.of("globex")))).isEmpty();
            assertThat(s.clusters(Optional.empty()))
                    .extracting(ClusterInfo::name)
                    .containsExactly("c1");
        }
    }

    @Test
    @DisplayName("a policy's workloads page by key; tracked pods include the pods of its jobs; counts per policy")
    void policyReads() {
        try (WorkloadStore s = WorkloadStore.open(dir.resolve("w.db"))) {
            s.replace(
                    "c1",
                    "acme",
                    report(),
                    T,
                    "abc",
                    List.of(
                            new WorkloadMatch("c1", "pod", P1, "acme", "beat", Optional.of(60L)),
                            new WorkloadMatch("c1", "pod", P2, "acme", "beat", Optional.of(60L)),
                            new WorkloadMatch("c1", "job", J1, "acme", "jobs", Optional.of(30L))));
            List<MatchedWorkload> first =
                    s.governedBy(Optional.of(java.util.Set.of("acme")), "acme", "beat", null, null, 1);
            assertThat(first).extracting(MatchedWorkload::id).containsExactly(P1);
            List<MatchedWorkload> next = s.governedBy(
                    Optional.of(java.util.Set.of("acme")),
                    "acme",
                    "beat",
                    null,
                    new WorkloadStore.PageKey("c1", "pod", P1),
                    10);
            assertThat(next).extracting(MatchedWorkload::id).containsExactly(P2);
            MatchedWorkload job = s.governedBy(Optional.of(java.util.Set.of("acme")), "acme", "jobs", "job", null, 10)
                    .get(0);
            assertThat(job.podIds()).containsExactly(P2);
            assertThat(job.priority()).contains(5);
            assertThat(s.trackedPods(Optional.of(java.util.Set.of("acme")), "acme", "jobs"))
                    .extracting(StoredPod::name)
                    .containsExactly("train-0");
            assertThat(s.counts(Optional.of(java.util.Set.of("acme")), "acme", "beat"))
                    .isEqualTo(new PolicyCounts(2, 0, 2));
            assertThat(s.counts(Optional.of(java.util.Set.of("acme")), "acme", "jobs"))
                    .isEqualTo(new PolicyCounts(0, 1, 1));
            assertThat(s.counts(Optional.of(java.util.Set.of("globex")), "acme", "jobs"))
                    .isEqualTo(PolicyCounts.NONE);
            assertThat(s.replaceMatches("c1", "def", T, List.of())).isTrue();
            assertThat(s.counts(Optional.of(java.util.Set.of("acme")))).isEmpty();
            assertThat(s.cluster("c1").orElseThrow().matchedCommit()).contains("def");
        }
    }

    @Test
    @DisplayName("a file written by a newer schema is refused rather than misread")
    void newerSchema() throws Exception {
        Path file = dir.resolve("w.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
                var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> WorkloadStore.open(file))
                .isInstanceOf(WorkloadStoreException.class)
                .hasMessageContaining("version 99");
    }
}
