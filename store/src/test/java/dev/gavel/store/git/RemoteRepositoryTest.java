package dev.gavel.store.git;

import static dev.gavel.store.git.Fixtures.ALICE;
import static dev.gavel.store.git.Fixtures.bytes;
import static dev.gavel.store.git.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteRepositoryTest {
    @TempDir
    Path tmp;

    /** A bare origin made by the git CLI, with one commit pushed from {@code work}. */
    private Path origin(Path work) {
        Path origin = tmp.resolve("origin.git");
        GitCli.ok(tmp, "init", "-q", "--bare", origin.toString());
        GitCli.ok(tmp, "clone", "-q", origin.toString(), work.toString());
        GitCli.write(work, "policies/a.yaml", "a1");
        GitCli.write(work, "gavel.yaml", "branch: main");
        GitCli.commitAll(work, "first");
        GitCli.ok(work, "push", "-q", "origin", "main");
        return origin;
    }

    @Test
    @DisplayName("a file:// remote is cloned bare into the data directory and a later push is seen after a fetch")
    void cloneAndFetch() throws Exception {
        Path work = tmp.resolve("work");
        Path origin = origin(work);
        String url = origin.toUri().toString();
        assertThat(url).startsWith("file:");
        Path data = tmp.resolve("data");
        try (GitPolicyRepository store = GitPolicyRepository.cloneRemote(url, data, "main")) {
            assertThat(store.isBare()).isTrue();
            assertThat(text(store.filesAt("HEAD").files()))
                    .containsExactly(entry("gavel.yaml", "branch: main"), entry("policies/a.yaml", "a1"));
            Optional<String> before = store.head();

            GitCli.write(work, "policies/b.yaml", "b1");
            String pushed = GitCli.commitAll(work, "second");
            GitCli.ok(work, "push", "-q", "origin", "main");
            assertThat(store.head()).as("nothing fetched yet").isEqualTo(before);

            List<HeadChange> seen = new CopyOnWriteArrayList<>();
            try (HeadWatch ignored = store.watch(Duration.ofHours(1), seen::add)) {
                assertThat(store.refreshNow()).contains(pushed);
                assertThat(seen).containsExactly(new HeadChange(before, Optional.of(pushed)));
            }
            assertThat(store.fileAt("HEAD", "policies/b.yaml")).map(String::new).contains("b1");
        }
    }

    @Test
    @DisplayName("a write to a cloned remote is pushed to the origin; a stale clone retries after fetching")
    void writesArePushed() throws Exception {
        Path work = tmp.resolve("work");
        Path origin = origin(work);
        try (GitPolicyRepository store =
                GitPolicyRepository.cloneRemote(origin.toUri().toString(), tmp.resolve("data"), "main")) {
            CommitResult mine = store.commit(ChangeSet.put("policies/c.yaml", bytes("c1")), ALICE, "through the store");
            assertThat(GitCli.ok(origin, "rev-parse", "main").strip()).isEqualTo(mine.commitId());

            GitCli.ok(work, "pull", "-q", "--ff-only");
            GitCli.write(work, "policies/d.yaml", "d1");
            String theirs = GitCli.commitAll(work, "pushed meanwhile");
            GitCli.ok(work, "push", "-q", "origin", "main");

            CommitResult second = store.commit(ChangeSet.put("policies/e.yaml", bytes("e1")), ALICE, "after theirs");
            assertThat(second.attempts()).isEqualTo(2);
            assertThat(second.previousHead()).contains(theirs);
            assertThat(GitCli.ok(origin, "rev-parse", "main").strip()).isEqualTo(second.commitId());
            assertThat(GitCli.run(origin, "fsck", "--strict").exit()).isZero();
        }
    }

    @Test
    @DisplayName("an existing clone in the data directory is reused, and a clone of another URL is refused")
    void reuseClone() throws Exception {
        Path work = tmp.resolve("work");
        Path origin = origin(work);
        Path data = tmp.resolve("data");
        String url = origin.toUri().toString();
        String head;
        try (GitPolicyRepository store = GitPolicyRepository.cloneRemote(url, data, "main")) {
            head = store.head().orElseThrow();
        }
        GitCli.write(work, "policies/b.yaml", "b1");
        String pushed = GitCli.commitAll(work, "second");
        GitCli.ok(work, "push", "-q", "origin", "main");
        try (GitPolicyRepository again = GitPolicyRepository.cloneRemote(url, data, "main")) {
            assertThat(again.head()).contains(pushed).isNotEqualTo(Optional.of(head));
        }
        assertThatThrownBy(() -> GitPolicyRepository.cloneRemote(
                        tmp.resolve("elsewhere.git").toUri().toString(), data, "main"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds a clone of");
    }
}
