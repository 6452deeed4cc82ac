package dev.gavel.store.git;

import static dev.gavel.store.git.Fixtures.ALICE;
import static dev.gavel.store.git.Fixtures.BOB;
import static dev.gavel.store.git.Fixtures.bytes;
import static dev.gavel.store.git.Fixtures.files;
import static dev.gavel.store.git.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentWritesTest {
    @TempDir
    Path tmp;

    /** Makes {@code store}'s next ref update stale by committing {@code path} through {@code other} first. */
    private static void loseNextRace(GitPolicyRepository store, GitPolicyRepository other, String path) {
        AtomicBoolean done = new AtomicBoolean();
        store.beforePublish = () -> {
            if (done.compareAndSet(false, true)) {
                other.commit(ChangeSet.put(path, bytes("from the other writer")), BOB, "other writer");
            }
        };
    }

    @Test
    @DisplayName("a writer whose compare-and-swap went stale retries on the new head when its files were untouched")
    void staleCasRetriedOnDisjointFiles() throws Exception {
        Path dir = tmp.resolve("r.git");
        try (GitPolicyRepository store = Fixtures.bare(dir, files("policies/a.yaml", "a"));
                GitPolicyRepository other = GitPolicyRepository.open(dir, "main")) {
            String base = store.head().orElseThrow();
            loseNextRace(store, other, "policies/b.yaml");

            CommitResult r = store.commit(ChangeSet.put("policies/c.yaml", bytes("c")), ALICE, "mine");

            assertThat(r.attempts()).isEqualTo(2);
            assertThat(text(store.filesAt("HEAD").files()))
                    .containsOnlyKeys("policies/a.yaml", "policies/b.yaml", "policies/c.yaml");
            List<String> line = GitCli.ok(dir, "log", "--first-parent", "--format=%s", "main")
                    .lines()
                    .toList();
            assertThat(line).containsExactly("mine", "other writer", "Initial policies");
            assertThat(r.previousHead()).isNotEqualTo(Optional.of(base));
            assertThat(GitCli.run(dir, "fsck", "--strict").exit()).isZero();
        }
    }

    @Test
    @DisplayName("a writer whose compare-and-swap went stale gets a conflict when the other writer changed its file")
    void staleCasConflictsOnSameFile() throws Exception {
        Path dir = tmp.resolve("r.git");
        try (GitPolicyRepository store = Fixtures.bare(dir, files("policies/a.yaml", "a"));
                GitPolicyRepository other = GitPolicyRepository.open(dir, "main")) {
            loseNextRace(store, other, "policies/a.yaml");

            assertThatThrownBy(() -> store.commit(ChangeSet.put("policies/a.yaml", bytes("mine")), ALICE, "mine"))
                    .isInstanceOfSatisfying(
                            ConflictException.class, e -> assertThat(e.paths()).containsExactly("policies/a.yaml"));
            assertThat(store.fileAt("HEAD", "policies/a.yaml")).map(String::new).contains("from the other writer");
            assertThat(GitCli.ok(dir, "rev-list", "--count", "main").strip()).isEqualTo("2");
        }
    }

    @Test
    @DisplayName(
            "with an explicit expected head, writers on disjoint files both land and a write to a changed file conflicts")
    void explicitExpectedHead() throws Exception {
        try (GitPolicyRepository store =
                Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "a", "policies/b.yaml", "b"))) {
            Optional<String> h0 = store.head();
            CommitResult first = store.commit(ChangeSet.put("policies/a.yaml", bytes("a1")), ALICE, "a1", h0);
            CommitResult second = store.commit(ChangeSet.put("policies/b.yaml", bytes("b1")), BOB, "b1", h0);

            assertThat(second.previousHead()).contains(first.commitId());
            assertThat(text(store.filesAt("HEAD").files()))
                    .containsEntry("policies/a.yaml", "a1")
                    .containsEntry("policies/b.yaml", "b1");

            assertThatThrownBy(() -> store.commit(ChangeSet.delete("policies/a.yaml"), BOB, "stale", h0))
                    .isInstanceOfSatisfying(ConflictException.class, e -> {
                        assertThat(e.paths()).containsExactly("policies/a.yaml");
                        assertThat(e.expectedHead()).isEqualTo(h0);
                        assertThat(e.actualHead()).contains(second.commitId());
                    });
            assertThatThrownBy(() -> store.commit(
                            ChangeSet.delete("policies/a.yaml"),
                            BOB,
                            "bogus",
                            Optional.of("0000000000000000000000000000000000000001")))
                    .isInstanceOf(ConflictException.class);
            assertThat(store.head()).contains(second.commitId());
        }
    }

    @Test
    @DisplayName("8 threads over two repository instances writing 100 commits each to their own files lose none")
    void eightWritersLoseNothing() throws Exception {
        Path dir = tmp.resolve("r.git");
        int threads = 8;
        int perThread = 100;
        try (GitPolicyRepository one = Fixtures.bare(dir, files("policies/seed.yaml", "0"));
                GitPolicyRepository two = GitPolicyRepository.open(dir, "main")) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> retries = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                GitPolicyRepository store = t % 2 == 0 ? one : two;
                int thread = t;
                retries.add(pool.submit(() -> {
                    start.await();
                    int extra = 0;
                    for (int i = 0; i < perThread; i++) {
                        CommitResult r = store.commit(
                                ChangeSet.put(
                                        "policies/writer-" + thread + "/p" + i + ".yaml", bytes(thread + ":" + i)),
                                ALICE,
                                "writer " + thread + " commit " + i);
                        assertThat(r.created()).isTrue();
                        extra += r.attempts() - 1;
                    }
                    return extra;
                }));
            }
            start.countDown();
            int lostRaces = 0;
            for (Future<Integer> f : retries) {
                lostRaces += f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();

            assertThat(GitCli.ok(dir, "rev-list", "--first-parent", "--count", "main")
                            .strip())
                    .isEqualTo(String.valueOf(threads * perThread + 1));
            var files = one.filesAt("HEAD").files();
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    assertThat(files).containsKey("policies/writer-" + t + "/p" + i + ".yaml");
                }
            }
            assertThat(files).hasSize(threads * perThread + 1);
            assertThat(one.commits(0, 1).total()).isEqualTo(threads * perThread + 1);
            System.out.println("lost compare-and-swap races (retried): " + lostRaces);
        }
        // After close: closing waits for a background pack, which fsck should not race with.
        GitCli.Result fsck = GitCli.run(dir, "fsck", "--strict");
        assertThat(fsck.exit()).as("git fsck: %s", fsck.err()).isZero();
    }
}
