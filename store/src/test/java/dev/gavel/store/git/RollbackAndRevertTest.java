package dev.gavel.store.git;

import static dev.gavel.store.git.Fixtures.ALICE;
import static dev.gavel.store.git.Fixtures.BOB;
import static dev.gavel.store.git.Fixtures.bytes;
import static dev.gavel.store.git.Fixtures.files;
import static dev.gavel.store.git.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackAndRevertTest {
  @TempDir Path tmp;

  @Test
  @DisplayName("rolling a scope back to version N restores exactly its direct files then, leaving other scopes alone")
  void rollbackScope() throws Exception {
    Path dir = tmp.resolve("r.git");
    try (GitPolicyRepository store = Fixtures.bare(dir, files("policies/global.yaml", "g1", "policies/acme/a.yaml", "a1"))) {
      store.commit(ChangeSet.builder().put("policies/acme/a.yaml", bytes("a2")).put("policies/acme/b.yaml", bytes("b1")).build(), ALICE, "v2");
      store.commit(ChangeSet.put("policies/acme/chat/x.yaml", bytes("x1")), ALICE, "sub-scope");
      store.commit(ChangeSet.builder().delete("policies/acme/a.yaml").put("policies/acme/c.yaml", bytes("c1"))
          .put("policies/global.yaml", bytes("g2")).build(), ALICE, "v3");
      assertThat(store.versions("acme")).hasSize(3);

      CommitResult r = store.rollbackScope("acme", 1, BOB, null);

      assertThat(r.created()).isTrue();
      assertThat(text(store.filesAt("HEAD").files())).containsExactly(
          entry("policies/acme/a.yaml", "a1"),
          entry("policies/acme/chat/x.yaml", "x1"),
          entry("policies/global.yaml", "g2"));
      assertThat(store.versions("acme")).hasSize(4).first().satisfies(v -> {
        assertThat(v.number()).isEqualTo(4);
        assertThat(v.commit().id()).isEqualTo(r.commitId());
        assertThat(v.commit().author()).isEqualTo(BOB);
        assertThat(v.commit().subject()).isEqualTo("Roll back scope acme to version 1");
      });
      assertThat(text(store.scopeAtVersion("acme", 2).files()))
          .containsExactly(entry("policies/acme/a.yaml", "a2"), entry("policies/acme/b.yaml", "b1"));
      assertThat(GitCli.run(dir, "fsck", "--strict").exit()).isZero();
      assertThatThrownBy(() -> store.rollbackScope("acme", 9, BOB, null))
          .isInstanceOf(UnknownRevisionException.class).hasMessageContaining("versions 1..4");
    }
  }

  @Test
  @DisplayName("rolling back to the current content makes no commit")
  void rollbackToSameIsNoOp() throws Exception {
    try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/acme/a.yaml", "a1"))) {
      store.commit(ChangeSet.put("policies/other.yaml", bytes("o")), ALICE, "elsewhere");
      CommitResult r = store.rollbackScope("acme", 1, BOB, "no change expected");
      assertThat(r.created()).isFalse();
      assertThat(r.commitId()).isEqualTo(store.head().orElseThrow());
    }
  }

  @Test
  @DisplayName("reverting a commit applies the inverse of its first-parent diff onto head")
  void revertCommit() throws Exception {
    Path dir = tmp.resolve("r.git");
    try (GitPolicyRepository store = Fixtures.bare(dir, files("policies/a.yaml", "a1", "policies/b.yaml", "b1"))) {
      CommitResult target = store.commit(ChangeSet.builder()
          .put("policies/a.yaml", bytes("a2")).delete("policies/b.yaml").put("policies/c.yaml", bytes("c1")).build(),
          ALICE, "Change several");
      store.commit(ChangeSet.put("policies/d.yaml", bytes("d1")), ALICE, "later, unrelated");

      CommitResult r = store.revert(target.commitId().substring(0, 12), BOB, null);

      assertThat(text(store.filesAt("HEAD").files())).containsExactly(
          entry("policies/a.yaml", "a1"), entry("policies/b.yaml", "b1"), entry("policies/d.yaml", "d1"));
      assertThat(store.commitDetails(r.commitId()).commit().message())
          .isEqualTo("Revert \"Change several\"\n\nThis reverts commit " + target.commitId() + ".\n");
      assertThat(GitCli.run(dir, "fsck", "--strict").exit()).isZero();
    }
  }

  @Test
  @DisplayName("reverting a commit whose files changed again since is a conflict and writes nothing")
  void revertConflict() throws Exception {
    try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "a1", "policies/b.yaml", "b1"))) {
      CommitResult target = store.commit(ChangeSet.builder()
          .put("policies/a.yaml", bytes("a2")).put("policies/b.yaml", bytes("b2")).build(), ALICE, "both");
      String head = store.commit(ChangeSet.put("policies/a.yaml", bytes("a3")), ALICE, "a again").commitId();

      assertThatThrownBy(() -> store.revert(target.commitId(), BOB, null))
          .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.paths()).containsExactly("policies/a.yaml"));
      assertThat(store.head()).contains(head);
      Map<String, String> now = text(store.filesAt("HEAD").files());
      assertThat(now).containsEntry("policies/a.yaml", "a3").containsEntry("policies/b.yaml", "b2");
    }
  }

  @Test
  @DisplayName("reverting the root commit deletes the files it added")
  void revertRoot() throws Exception {
    try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "a1"))) {
      String root = store.head().orElseThrow();
      store.commit(ChangeSet.put("policies/b.yaml", bytes("b1")), ALICE, "b");
      store.revert(root, BOB, "Undo the start");
      assertThat(text(store.filesAt("HEAD").files())).containsExactly(entry("policies/b.yaml", "b1"));
    }
  }
}
