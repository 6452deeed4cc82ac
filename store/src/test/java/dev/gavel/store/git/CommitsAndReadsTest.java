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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitsAndReadsTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("a commit through the store is seen by git log and git show, and git fsck --strict passes")
    void commitSeenByGitCli() throws Exception {
        Path dir = tmp.resolve("repo.git");
        try (GitPolicyRepository store =
                Fixtures.bare(dir, files("gavel.yaml", "apiVersion: gavel/v1\n", "policies/eu.yaml", "eu: 1\n"))) {
            CommitResult r = store.commit(
                    ChangeSet.builder()
                            .put("policies/acme/limits.yaml", bytes("limit: 5\n"))
                            .delete("gavel.yaml")
                            .build(),
                    BOB,
                    "Add acme limits",
                    Optional.empty());

            assertThat(r.created()).isTrue();
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(GitCli.ok(dir, "rev-parse", "main").strip()).isEqualTo(r.commitId());
            assertThat(GitCli.ok(dir, "log", "-1", "--format=%an <%ae>|%s", "main")
                            .strip())
                    .isEqualTo("Bob <bob@example.com>|Add acme limits");
            assertThat(GitCli.ok(dir, "show", "main:policies/acme/limits.yaml")).isEqualTo("limit: 5\n");
            assertThat(GitCli.ok(dir, "ls-tree", "-r", "--name-only", "main").lines())
                    .containsExactly("policies/acme/limits.yaml", "policies/eu.yaml");
            assertThat(GitCli.ok(dir, "rev-list", "--count", "main").strip()).isEqualTo("2");
            GitCli.Result fsck = GitCli.run(dir, "fsck", "--strict", "--no-dangling");
            assertThat(fsck.exit()).as(fsck.err()).isZero();
            assertThat(fsck.err()).doesNotContain("error", "warning");
        }
    }

    @Test
    @DisplayName("files are read at any commit without a checkout, and only policies/, tests/ and gavel.yaml")
    void filesAtAnyCommit() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(
                tmp.resolve("r.git"),
                files(
                        "gavel.yaml",
                        "g",
                        "policies/a.yaml",
                        "a1",
                        "tests/t.yaml",
                        "t",
                        "README.md",
                        "readme",
                        "other/x.yaml",
                        "x"))) {
            String first = store.head().orElseThrow();
            store.commit(ChangeSet.put("policies/a.yaml", bytes("a2")), ALICE, "change a");

            assertThat(text(store.filesAt(first).files()))
                    .containsExactly(
                            entry("gavel.yaml", "g"), entry("policies/a.yaml", "a1"), entry("tests/t.yaml", "t"));
            assertThat(text(store.filesAt("HEAD").files())).containsEntry("policies/a.yaml", "a2");
            assertThat(store.filesAt(first.substring(0, 10)).commitId()).isEqualTo(first);
            assertThat(store.fileAt(first, "policies/a.yaml")).map(String::new).contains("a1");
            assertThat(store.fileAt(first, "policies/missing.yaml")).isEmpty();
            assertThat(store.fileAt(first, "policies"))
                    .as("a directory is not a file")
                    .isEmpty();
        }
    }

    @Test
    @DisplayName("reading revisions in any order gives each its own bytes: blobs kept from the last read are"
            + " reused by id only (same content in two files, a file changed back and forth, a file deleted)")
    void filesAtReusesBlobsById() throws Exception {
        try (GitPolicyRepository store =
                Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "one", "policies/b.yaml", "same"))) {
            String r1 = store.head().orElseThrow();
            String r2 = store.commit(
                            new ChangeSet(
                                    Map.of("policies/a.yaml", bytes("two"), "policies/c.yaml", bytes("same")),
                                    java.util.Set.of()),
                            ALICE,
                            "two")
                    .commitId();
            String r3 = store.commit(ChangeSet.delete("policies/b.yaml"), ALICE, "drop b")
                    .commitId();
            String r4 = store.commit(ChangeSet.put("policies/a.yaml", bytes("one")), ALICE, "back")
                    .commitId();
            Map<String, Map<String, String>> expected = Map.of(
                    r1, Map.of("policies/a.yaml", "one", "policies/b.yaml", "same"),
                    r2, Map.of("policies/a.yaml", "two", "policies/b.yaml", "same", "policies/c.yaml", "same"),
                    r3, Map.of("policies/a.yaml", "two", "policies/c.yaml", "same"),
                    r4, Map.of("policies/a.yaml", "one", "policies/c.yaml", "same"));
            for (String r : List.of(r1, r2, r1, r3, r4, r2, r4, r4, r1)) {
                assertThat(text(store.filesAt(r).files())).as(r).isEqualTo(expected.get(r));
            }
        }
    }

    @Test
    @DisplayName("filesAt diffs from its last read: every revision, in any order, reads as a fresh full walk does,"
            + " and an unchanged file keeps the same byte array")
    void filesAtDiffsFromTheLastRead() throws Exception {
        Path dir = tmp.resolve("d.git");
        try (GitPolicyRepository store =
                        Fixtures.bare(dir, files("policies/a.yaml", "a", "policies/b.yaml", "b", "tests/t.yaml", "t"));
                org.eclipse.jgit.lib.Repository raw = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                        .setGitDir(dir.toFile())
                        .build()) {
            String r1 = store.head().orElseThrow();
            // b becomes a symbolic link, x a file, and a file outside policies/ and tests/ appears.
            String r2 = rawCommit(
                    raw,
                    r1,
                    Map.of(
                            "policies/a.yaml", regular("a"),
                            "policies/b.yaml", rawEntry(org.eclipse.jgit.lib.FileMode.SYMLINK, "a.yaml"),
                            "policies/x", regular("x"),
                            "tests/t.yaml", regular("t"),
                            "README.md", regular("r")));
            // b is a file again, x a directory, t gone.
            String r3 = rawCommit(
                    raw,
                    r2,
                    Map.of(
                            "policies/a.yaml", regular("a"),
                            "policies/b.yaml", regular("b2"),
                            "policies/x/y.yaml", regular("y"),
                            "README.md", regular("r")));
            String r4 = rawCommit(raw, r3, Map.of("policies/a.yaml", regular("a2")));
            List<String> order = List.of(r1, r2, r3, r4, r2, r1, r4, r3, r3, r1);
            RepoFiles previous = null;
            for (String r : order) {
                RepoFiles read = store.filesAt(r);
                RepoFiles full;
                try (GitPolicyRepository fresh = GitPolicyRepository.open(dir, "main")) {
                    full = fresh.filesAt(r);
                }
                assertThat(text(read.files())).as(r).isEqualTo(text(full.files()));
                assertThat(read.unreadable()).as(r).isEqualTo(full.unreadable());
                assertThat(read.commitId()).isEqualTo(r);
                if (previous != null) {
                    for (var e : read.files().entrySet()) {
                        byte[] before = previous.files().get(e.getKey());
                        if (before != null && java.util.Arrays.equals(before, e.getValue())) {
                            assertThat(e.getValue()).as(e.getKey() + " at " + r).isSameAs(before);
                        }
                    }
                }
                previous = read;
            }
            assertThat(store.filesAt(r2).unreadable()).containsOnlyKeys("policies/b.yaml");
            assertThat(store.filesAt(r3).files())
                    .containsOnlyKeys("policies/a.yaml", "policies/b.yaml", "policies/x/y.yaml");
        }
    }

    private record RawEntry(org.eclipse.jgit.lib.FileMode mode, byte[] bytes) {}

    private static RawEntry regular(String text) {
        return rawEntry(org.eclipse.jgit.lib.FileMode.REGULAR_FILE, text);
    }

    private static RawEntry rawEntry(org.eclipse.jgit.lib.FileMode mode, String text) {
        return new RawEntry(mode, bytes(text));
    }

    /** A commit of exactly {@code tree} on {@code parent}, moved onto {@code main} (what a push could bring). */
    private static String rawCommit(org.eclipse.jgit.lib.Repository repo, String parent, Map<String, RawEntry> tree)
            throws Exception {
        try (org.eclipse.jgit.lib.ObjectInserter ins = repo.newObjectInserter()) {
            org.eclipse.jgit.dircache.DirCache index = org.eclipse.jgit.dircache.DirCache.newInCore();
            org.eclipse.jgit.dircache.DirCacheBuilder builder = index.builder();
            for (var e : new java.util.TreeMap<>(tree).entrySet()) {
                org.eclipse.jgit.dircache.DirCacheEntry entry = new org.eclipse.jgit.dircache.DirCacheEntry(e.getKey());
                entry.setFileMode(e.getValue().mode());
                entry.setObjectId(ins.insert(
                        org.eclipse.jgit.lib.Constants.OBJ_BLOB, e.getValue().bytes()));
                builder.add(entry);
            }
            builder.finish();
            org.eclipse.jgit.lib.CommitBuilder c = new org.eclipse.jgit.lib.CommitBuilder();
            c.setTreeId(index.writeTree(ins));
            c.setParentId(org.eclipse.jgit.lib.ObjectId.fromString(parent));
            org.eclipse.jgit.lib.PersonIdent who = new org.eclipse.jgit.lib.PersonIdent("Pusher", "p@example.com");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("raw");
            org.eclipse.jgit.lib.ObjectId id = ins.insert(c);
            ins.flush();
            org.eclipse.jgit.lib.RefUpdate u = repo.updateRef("refs/heads/main");
            u.setNewObjectId(id);
            u.setForceUpdate(true);
            assertThat(u.update())
                    .isIn(
                            org.eclipse.jgit.lib.RefUpdate.Result.FAST_FORWARD,
                            org.eclipse.jgit.lib.RefUpdate.Result.FORCED);
            return id.name();
        }
    }

    @Test
    @DisplayName("a change set that leaves the tree as it was makes no commit")
    void noOpMakesNoCommit() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "a"))) {
            String head = store.head().orElseThrow();
            CommitResult same = store.commit(
                    ChangeSet.builder()
                            .put("policies/a.yaml", bytes("a"))
                            .delete("policies/never-was.yaml")
                            .build(),
                    ALICE,
                    "nothing");
            assertThat(same.created()).isFalse();
            assertThat(same.commitId()).isEqualTo(head);
            assertThat(store.head()).contains(head);
        }
    }

    @Test
    @DisplayName("deleting a scope's last file removes its empty directories from the tree")
    void emptyDirectoriesDisappear() throws Exception {
        Path dir = tmp.resolve("r.git");
        try (GitPolicyRepository store =
                Fixtures.bare(dir, files("policies/a.yaml", "a", "policies/acme/chat/x.yaml", "x"))) {
            store.commit(ChangeSet.delete("policies/acme/chat/x.yaml"), ALICE, "drop x");
            assertThat(GitCli.ok(dir, "ls-tree", "-r", "-t", "--name-only", "main")
                            .lines())
                    .containsExactly("policies", "policies/a.yaml");
            assertThat(GitCli.run(dir, "fsck", "--strict").exit()).isZero();
        }
    }

    @Test
    @DisplayName("commit details list each changed file with its kind, old and new content and a unified diff")
    void commitDetails() throws Exception {
        try (GitPolicyRepository store =
                Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "one\ntwo\n", "policies/b.yaml", "b\n"))) {
            CommitResult r = store.commit(
                    ChangeSet.builder()
                            .put("policies/a.yaml", bytes("one\nthree\n"))
                            .put("policies/c.yaml", bytes("c\n"))
                            .delete("policies/b.yaml")
                            .build(),
                    BOB,
                    "Mixed change\n\nWith a body.");

            CommitDetails d = store.commitDetails(r.commitId());
            assertThat(d.commit().subject()).isEqualTo("Mixed change");
            assertThat(d.commit().message()).isEqualTo("Mixed change\n\nWith a body.\n");
            assertThat(d.commit().author()).isEqualTo(BOB);
            assertThat(d.files())
                    .extracting(FileDiff::path, FileDiff::kind)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("policies/a.yaml", ChangeKind.MODIFIED),
                            org.assertj.core.groups.Tuple.tuple("policies/b.yaml", ChangeKind.DELETED),
                            org.assertj.core.groups.Tuple.tuple("policies/c.yaml", ChangeKind.ADDED));
            FileDiff a = d.files().get(0);
            assertThat(a.oldContent()).map(String::new).contains("one\ntwo\n");
            assertThat(a.newContent()).map(String::new).contains("one\nthree\n");
            assertThat(a.unifiedDiff()).contains("--- a/policies/a.yaml", "+++ b/policies/a.yaml", "-two", "+three");
            assertThat(d.files().get(1).newContent()).isEmpty();
            assertThat(d.files().get(2).oldContent()).isEmpty();
        }
    }

    @Test
    @DisplayName("history of a path lists the first-parent commits that changed it, newest first")
    void historyOfPath() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "1"))) {
            String c0 = store.head().orElseThrow();
            String c1 = store.commit(ChangeSet.put("policies/b.yaml", bytes("b")), ALICE, "b")
                    .commitId();
            String c2 = store.commit(ChangeSet.put("policies/a.yaml", bytes("2")), ALICE, "a2")
                    .commitId();

            assertThat(store.history("policies/a.yaml"))
                    .extracting(CommitInfo::id)
                    .containsExactly(c2, c0);
            assertThat(store.history("policies/b.yaml"))
                    .extracting(CommitInfo::id)
                    .containsExactly(c1);
            assertThat(store.history("policies")).extracting(CommitInfo::id).containsExactly(c2, c1, c0);
            assertThat(store.latest()).map(CommitInfo::id).contains(c2);
        }
    }

    @Test
    @DisplayName("paging through commits by offset or cursor visits every commit once, newest first")
    void paging() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "0"))) {
            List<String> expected = new ArrayList<>();
            expected.add(store.head().orElseThrow());
            for (int i = 1; i <= 6; i++) {
                expected.add(
                        0,
                        store.commit(ChangeSet.put("policies/a.yaml", bytes("" + i)), ALICE, "c" + i)
                                .commitId());
            }
            List<String> seen = new ArrayList<>();
            CommitPage page = store.commits(0, 3);
            seen.addAll(page.commits().stream().map(CommitInfo::id).toList());
            while (page.hasMore()) {
                page = store.commitsAfter(page.nextCursor().orElseThrow(), 3);
                seen.addAll(page.commits().stream().map(CommitInfo::id).toList());
            }
            assertThat(seen).containsExactlyElementsOf(expected);
            assertThat(page.total()).isEqualTo(7);
            assertThat(store.commits(5, 3).commits())
                    .extracting(CommitInfo::id)
                    .containsExactly(expected.get(5), expected.get(6));
            assertThat(store.commits(5, 3).hasMore()).isFalse();
        }
    }

    @Test
    @DisplayName("file stamps give who created a file (its last addition) and who last changed it")
    void fileStamps() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "1"))) {
            String created = store.head().orElseThrow();
            String updated = store.commit(ChangeSet.put("policies/a.yaml", bytes("2")), BOB, "a2")
                    .commitId();
            store.commit(ChangeSet.put("policies/b.yaml", bytes("b")), BOB, "b");
            store.commit(ChangeSet.delete("policies/b.yaml"), ALICE, "drop b");
            String recreated = store.commit(ChangeSet.put("policies/b.yaml", bytes("b2")), ALICE, "b again")
                    .commitId();

            FileStamp a = store.fileStamp("policies/a.yaml").orElseThrow();
            assertThat(a.createdBy()).isEqualTo(ALICE);
            assertThat(a.createdIn()).isEqualTo(created);
            assertThat(a.updatedBy()).isEqualTo(BOB);
            assertThat(a.updatedIn()).isEqualTo(updated);
            assertThat(store.fileStamp("policies/b.yaml").orElseThrow().createdIn())
                    .isEqualTo(recreated);
            assertThat(store.fileStamps()).containsOnlyKeys("policies/a.yaml", "policies/b.yaml");
        }
    }

    @Test
    @DisplayName("unknown, ambiguous-free short and non-commit revisions resolve or fail with a clear message")
    void resolveRevisions() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "1"))) {
            String head = store.head().orElseThrow();
            assertThat(store.resolve(head.substring(0, 8))).isEqualTo(head);
            assertThat(store.resolve("main")).isEqualTo(head);
            assertThat(store.resolve("HEAD")).isEqualTo(head);
            assertThatThrownBy(() -> store.resolve("no-such-branch"))
                    .isInstanceOf(UnknownRevisionException.class)
                    .hasMessageContaining("unknown revision 'no-such-branch'");
            assertThatThrownBy(() -> store.resolve("main:policies/a.yaml"))
                    .isInstanceOf(UnknownRevisionException.class)
                    .hasMessageContaining("not a commit");
            assertThatThrownBy(() -> store.filesAt("0123456789abcdef0123456789abcdef01234567"))
                    .isInstanceOf(UnknownRevisionException.class);
        }
    }

    @Test
    @DisplayName("an author with characters that would corrupt the commit header is refused")
    void hostileAuthor() {
        assertThatThrownBy(() -> new Author("Eve <evil>", "e@x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Author("Eve", "e@x\nparent 000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Author(" ", "e@x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Author(" Eve ", "e@x").name()).isEqualTo("Eve");
    }

    @Test
    @DisplayName("packing keeps every file readable and leaves no loose objects")
    void packNow() throws Exception {
        Path dir = tmp.resolve("r.git");
        try (GitPolicyRepository store = Fixtures.bare(dir, files("policies/a.yaml", "1"))) {
            for (int i = 0; i < 5; i++) {
                store.commit(ChangeSet.put("policies/f" + i + ".yaml", bytes("v" + i)), ALICE, "f" + i);
            }
            Map<String, byte[]> before = store.filesAt("HEAD").files();
            store.packNow();
            assertThat(GitCli.ok(dir, "count-objects", "-v").lines()).contains("count: 0");
            assertThat(text(store.filesAt("HEAD").files())).isEqualTo(text(before));
        }
    }

    @Test
    @DisplayName("after every N commits written through the store the repository is packed in the background")
    void automaticPack() throws Exception {
        Path dir = tmp.resolve("r.git");
        Fixtures.bare(dir, files("policies/a.yaml", "1")).close();
        try (GitPolicyRepository store = GitPolicyRepository.open(dir, "main", 3)) {
            for (int i = 0; i < 3; i++) {
                store.commit(ChangeSet.put("policies/f" + i + ".yaml", bytes("v" + i)), ALICE, "f" + i);
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!GitCli.ok(dir, "count-objects", "-v").lines().toList().contains("count: 0")
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(GitCli.ok(dir, "count-objects", "-v").lines())
                    .as("loose objects left")
                    .contains("count: 0");
            assertThat(store.filesAt("HEAD").files()).hasSize(4);
        }
    }
}
