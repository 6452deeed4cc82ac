package dev.gavel.store.git;

import static dev.gavel.store.git.Fixtures.ALICE;
import static dev.gavel.store.git.Fixtures.bytes;
import static dev.gavel.store.git.Fixtures.files;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchTest {
    @TempDir
    Path tmp;

    private String pushFromClone(Path bare, String file, String content) {
        Path work = tmp.resolve("work");
        if (!work.toFile().exists()) {
            GitCli.ok(tmp, "clone", "-q", bare.toString(), work.toString());
        } else {
            GitCli.ok(work, "pull", "-q", "--ff-only");
        }
        GitCli.write(work, file, content);
        String id = GitCli.commitAll(work, "pushed " + file);
        GitCli.ok(work, "push", "-q", "origin", "main");
        return id;
    }

    @Test
    @DisplayName("a git push into the repository reaches the listener through polling")
    void pushSeenByPolling() throws Exception {
        Path bare = tmp.resolve("r.git");
        try (GitPolicyRepository store = Fixtures.bare(bare, files("policies/a.yaml", "a"))) {
            Optional<String> before = store.head();
            BlockingQueue<HeadChange> seen = new LinkedBlockingQueue<>();
            try (HeadWatch ignored = store.watch(Duration.ofMillis(20), seen::add)) {
                String pushed = pushFromClone(bare, "policies/b.yaml", "b");

                HeadChange change = seen.poll(60, TimeUnit.SECONDS);
                assertThat(change).as("no head change reported").isNotNull();
                assertThat(change).isEqualTo(new HeadChange(before, Optional.of(pushed)));
                assertThat(store.fileAt("HEAD", "policies/b.yaml")).isPresent();
            }
        }
    }

    @Test
    @DisplayName("refreshNow reports a push to the listener in the calling thread, once")
    void pushSeenByRefreshNow() throws Exception {
        Path bare = tmp.resolve("r.git");
        try (GitPolicyRepository store = Fixtures.bare(bare, files("policies/a.yaml", "a"))) {
            Optional<String> before = store.head();
            List<HeadChange> seen = new CopyOnWriteArrayList<>();
            try (HeadWatch ignored = store.watch(Duration.ofHours(1), seen::add)) {
                assertThat(store.refreshNow()).isEqualTo(before);
                assertThat(seen).isEmpty();

                String pushed = pushFromClone(bare, "policies/b.yaml", "b");
                assertThat(store.refreshNow()).contains(pushed);
                assertThat(seen).containsExactly(new HeadChange(before, Optional.of(pushed)));
                store.refreshNow();
                assertThat(seen).hasSize(1);
            }
        }
    }

    @Test
    @DisplayName("the store's own commits are reported too, and a closed watch hears nothing more")
    void ownCommitsAndClose() throws Exception {
        Path bare = tmp.resolve("r.git");
        try (GitPolicyRepository store = Fixtures.bare(bare, files("policies/a.yaml", "a"))) {
            Optional<String> before = store.head();
            BlockingQueue<HeadChange> seen = new LinkedBlockingQueue<>();
            HeadWatch watch = store.watch(Duration.ofHours(1), seen::add);
            String mine = store.commit(ChangeSet.put("policies/b.yaml", bytes("b")), ALICE, "mine")
                    .commitId();
            assertThat(seen.poll(60, TimeUnit.SECONDS)).isEqualTo(new HeadChange(before, Optional.of(mine)));

            watch.close();
            store.commit(ChangeSet.put("policies/c.yaml", bytes("c")), ALICE, "unheard");
            store.refreshNow();
            assertThat(seen).isEmpty();
        }
    }

    @Test
    @DisplayName("a listener that throws is logged and still told of later changes")
    void failingListenerKept() throws Exception {
        Path bare = tmp.resolve("r.git");
        try (GitPolicyRepository store = Fixtures.bare(bare, files("policies/a.yaml", "a"))) {
            List<HeadChange> seen = new CopyOnWriteArrayList<>();
            try (HeadWatch ignored = store.watch(Duration.ofHours(1), c -> {
                seen.add(c);
                throw new IllegalStateException("listener bug");
            })) {
                pushFromClone(bare, "policies/b.yaml", "b");
                store.refreshNow();
                pushFromClone(bare, "policies/c.yaml", "c");
                store.refreshNow();
                assertThat(seen).hasSize(2);
            }
        }
    }
}
