package dev.gavel.store.git;

import static dev.gavel.store.git.Fixtures.ALICE;
import static dev.gavel.store.git.Fixtures.bytes;
import static dev.gavel.store.git.Fixtures.files;
import static dev.gavel.store.git.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScopeVersionsTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("a scope's versions count only first-parent commits changing its direct files; a merge counts once")
    void versionsAcrossMerge() throws Exception {
        Path bare = tmp.resolve("r.git");
        Path work = tmp.resolve("work");
        try (GitPolicyRepository store =
                Fixtures.bare(bare, files("policies/acme/a.yaml", "a1", "policies/g.yaml", "g1"))) {
            GitCli.ok(tmp, "clone", "-q", bare.toString(), work.toString());
            GitCli.ok(work, "checkout", "-q", "-b", "feature");
            GitCli.write(work, "policies/acme/b.yaml", "b1");
            GitCli.commitAll(work, "side: b");
            GitCli.write(work, "policies/acme/c.yaml", "c1");
            GitCli.commitAll(work, "side: c");
            GitCli.write(work, "policies/acme/chat/x.yaml", "x1");
            GitCli.commitAll(work, "side: sub-scope");
            GitCli.ok(work, "checkout", "-q", "main");
            GitCli.write(work, "policies/g.yaml", "g2");
            String mainOnly = GitCli.commitAll(work, "main: global");
            GitCli.ok(work, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature");
            String merge = GitCli.ok(work, "rev-parse", "HEAD").strip();
            GitCli.ok(work, "push", "-q", "origin", "main");
            String root = GitCli.ok(work, "rev-list", "--max-parents=0", "HEAD").strip();

            List<ScopeVersion> acme = store.versions("acme");
            assertThat(acme).extracting(v -> v.commit().id()).containsExactly(merge, root);
            assertThat(acme).extracting(ScopeVersion::number).containsExactly(2, 1);
            assertThat(acme.get(0).commit().isMerge()).isTrue();
            assertThat(acme.get(0).changes())
                    .extracting(FileChange::path)
                    .containsExactly("policies/acme/b.yaml", "policies/acme/c.yaml");
            assertThat(store.versions("")).extracting(v -> v.commit().id()).containsExactly(mainOnly, root);
            assertThat(store.versions("acme.chat"))
                    .extracting(v -> v.commit().id())
                    .containsExactly(merge);
            assertThat(store.versions("other")).isEmpty();
            assertThat(store.history("policies/acme/b.yaml"))
                    .extracting(CommitInfo::id)
                    .containsExactly(merge);

            assertThat(text(store.scopeAtVersion("acme", 1).files()))
                    .containsExactly(entry("policies/acme/a.yaml", "a1"));
            assertThat(text(store.scopeAtVersion("acme", 2).files()))
                    .containsExactly(
                            entry("policies/acme/a.yaml", "a1"),
                            entry("policies/acme/b.yaml", "b1"),
                            entry("policies/acme/c.yaml", "c1"));
            assertThatThrownBy(() -> store.scopeAtVersion("other", 1))
                    .isInstanceOf(UnknownRevisionException.class)
                    .hasMessageContaining("scope 'other' has no versions");
        }
    }

    @Test
    @DisplayName("the history index follows new commits and rebuilds after a force push rewrites the line")
    void indexFollowsForcePush() throws Exception {
        Path bare = tmp.resolve("r.git");
        Path work = tmp.resolve("work");
        try (GitPolicyRepository store = Fixtures.bare(bare, files("policies/acme/a.yaml", "a1"))) {
            String root = store.head().orElseThrow();
            store.commit(ChangeSet.put("policies/acme/a.yaml", bytes("a2")), ALICE, "a2");
            store.commit(ChangeSet.put("policies/acme/a.yaml", bytes("a3")), ALICE, "a3");
            assertThat(store.versions("acme")).hasSize(3);

            GitCli.ok(tmp, "clone", "-q", bare.toString(), work.toString());
            GitCli.ok(work, "reset", "-q", "--hard", root);
            GitCli.write(work, "policies/acme/z.yaml", "z");
            String rewritten = GitCli.commitAll(work, "rewritten");
            GitCli.ok(work, "push", "-q", "--force", "origin", "main");

            assertThat(store.versions("acme")).extracting(v -> v.commit().id()).containsExactly(rewritten, root);
            assertThat(store.commits(0, 10).total()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("scope arguments are checked: bad segments are refused with the reason")
    void scopeValidation() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "a"))) {
            for (String bad : List.of("Acme", "acme..chat", ".acme", "acme/chat", "../x", "a_b", "-a")) {
                assertThatThrownBy(() -> store.versions(bad)).as(bad).isInstanceOf(InvalidRepoPathException.class);
            }
            assertThat(RepoPaths.scopeDirectory("acme.chat.support-bot.prod"))
                    .isEqualTo("policies/acme/chat/support-bot/prod");
            assertThat(RepoPaths.scopeDirectory("")).isEqualTo("policies");
        }
    }
}
