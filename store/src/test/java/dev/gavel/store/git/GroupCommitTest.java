package dev.gavel.store.git;

import static dev.gavel.store.git.Fixtures.ALICE;
import static dev.gavel.store.git.Fixtures.bytes;
import static dev.gavel.store.git.Fixtures.files;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: writes that queue behind a publish ride the next ref move together, each as its own commit. */
class GroupCommitTest {
    @TempDir
    Path tmp;

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("8 writes at once through a slow ref move: fewer moves than writes, and each write is its own"
            + " commit holding only its change, on the one before it")
    void writesQueuedBehindAMoveShareTheNext() throws Exception {
        Path dir = tmp.resolve("r.git");
        int writers = 8;
        AtomicInteger moves = new AtomicInteger();
        try (GitPolicyRepository store = Fixtures.bare(dir, files("policies/a.yaml", "a"))) {
            store.beforePublish = () -> {
                moves.incrementAndGet();
                sleep(300); // a slow push: the other writers queue meanwhile
            };
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CommitResult>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String path = "policies/w" + i + ".yaml";
                results.add(pool.submit(() -> {
                    go.await();
                    return store.commit(ChangeSet.put(path, bytes("w")), ALICE, "write " + path);
                }));
            }
            go.countDown();
            List<CommitResult> done = new ArrayList<>();
            for (Future<CommitResult> f : results) {
                done.add(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();

            assertThat(moves.get()).isLessThan(writers);
            assertThat(done).allMatch(CommitResult::created);
            assertThat(new HashSet<>(done.stream().map(CommitResult::commitId).toList()))
                    .hasSize(writers);
            for (int i = 0; i < writers; i++) {
                CommitResult r = done.get(i);
                // each commit changes exactly its own file, and its parent is the head the answer names
                assertThat(GitCli.ok(dir, "diff-tree", "--no-commit-id", "--name-only", "-r", r.commitId())
                                .strip())
                        .isEqualTo("policies/w" + i + ".yaml");
                assertThat(Optional.of(
                                GitCli.ok(dir, "rev-parse", r.commitId() + "^").strip()))
                        .isEqualTo(r.previousHead());
                assertThat(GitCli.run(dir, "merge-base", "--is-ancestor", r.commitId(), "main")
                                .exit())
                        .isZero();
            }
            assertThat(GitCli.ok(dir, "rev-list", "--count", "main").strip()).isEqualTo(String.valueOf(writers + 1));
            assertThat(GitCli.run(dir, "fsck", "--strict").exit()).isZero();
        }
    }

    @Test
    @DisplayName("in one group, two writes to one file with the same expected head: one lands, the other conflicts,"
            + " and a third write beside them lands")
    void aConflictInAGroupFailsAlone() throws Exception {
        Path dir = tmp.resolve("r.git");
        try (GitPolicyRepository store = Fixtures.bare(dir, files("policies/a.yaml", "a"))) {
            String before = store.head().orElseThrow();
            CountDownLatch publishing = new CountDownLatch(1);
            AtomicInteger moves = new AtomicInteger();
            store.beforePublish = () -> {
                if (moves.getAndIncrement() == 0) {
                    publishing.countDown();
                    sleep(400); // hold the first move while the others queue
                }
            };
            ExecutorService pool = Executors.newFixedThreadPool(4);
            Future<CommitResult> first =
                    pool.submit(() -> store.commit(ChangeSet.put("policies/x.yaml", bytes("x")), ALICE, "first"));
            assertThat(publishing.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<Optional<CommitResult>>> sameFile = new ArrayList<>();
            for (String content : List.of("one", "two")) {
                sameFile.add(pool.submit(() -> {
                    try {
                        return Optional.of(store.commit(
                                ChangeSet.put("policies/a.yaml", bytes(content)),
                                ALICE,
                                "a = " + content,
                                Optional.of(before)));
                    } catch (ConflictException e) {
                        assertThat(e.paths()).containsExactly("policies/a.yaml");
                        return Optional.empty();
                    }
                }));
            }
            Future<CommitResult> beside =
                    pool.submit(() -> store.commit(ChangeSet.put("policies/c.yaml", bytes("c")), ALICE, "beside"));

            assertThat(first.get(60, TimeUnit.SECONDS).created()).isTrue();
            assertThat(beside.get(60, TimeUnit.SECONDS).created()).isTrue();
            List<CommitResult> landed = new ArrayList<>();
            for (Future<Optional<CommitResult>> f : sameFile) {
                f.get(60, TimeUnit.SECONDS).ifPresent(landed::add);
            }
            pool.shutdown();
            assertThat(landed).hasSize(1);
            String winner = GitCli.ok(
                            dir, "log", "-1", "--format=%s", landed.get(0).commitId())
                    .strip();
            assertThat(store.fileAt("HEAD", "policies/a.yaml").map(String::new))
                    .contains(winner.substring("a = ".length()));
            assertThat(GitCli.ok(dir, "rev-list", "--count", "main").strip()).isEqualTo("4");
            assertThat(GitCli.run(dir, "fsck", "--strict").exit()).isZero();
        }
    }
}
