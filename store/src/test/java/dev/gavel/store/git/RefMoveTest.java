package dev.gavel.store.git;

import static dev.gavel.store.git.Fixtures.ALICE;
import static dev.gavel.store.git.Fixtures.BOB;
import static dev.gavel.store.git.Fixtures.bytes;
import static dev.gavel.store.git.Fixtures.files;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.store.git.CommitPublisher.RefMove;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compare-and-swap of the branch ref, on each answer JGit can give it. */
class RefMoveTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("a ref update that finds the branch already at the commit is a no-op, not a failure")
    void alreadyThereIsUnchanged() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "a"))) {
            ObjectId head = ObjectId.fromString(store.head().orElseThrow());

            // JGit's NO_CHANGE: expected head and new commit are both where the ref already is. It used to throw an
            // IOException, which the API answered with a 500.
            assertThat(store.publisher().moveRef(head, head, ALICE, "the same commit again"))
                    .isEqualTo(RefMove.UNCHANGED);

            assertThat(store.head()).contains(head.name());
            CommitResult next = store.commit(ChangeSet.put("policies/b.yaml", bytes("b")), ALICE, "a real change");
            assertThat(next.created()).as("the store still writes after it").isTrue();
            assertThat(next.previousHead()).contains(head.name());
        }
    }

    @Test
    @DisplayName("a ref update from a head the branch has left is a lost race, and the ref stays where it is")
    void staleExpectedHeadLosesTheRace() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "a"))) {
            ObjectId first = ObjectId.fromString(store.head().orElseThrow());
            String second = store.commit(ChangeSet.put("policies/b.yaml", bytes("b")), BOB, "moves the branch")
                    .commitId();

            assertThat(store.publisher().moveRef(first, first, ALICE, "stale")).isEqualTo(RefMove.LOST_RACE);

            assertThat(store.head()).contains(second);
        }
    }
}
