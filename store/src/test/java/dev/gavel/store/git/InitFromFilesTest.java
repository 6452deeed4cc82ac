package dev.gavel.store.git;

import static dev.gavel.store.git.Fixtures.ALICE;
import static dev.gavel.store.git.Fixtures.files;
import static dev.gavel.store.git.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitFromFilesTest {
    @TempDir
    Path tmp;

    private static final Map<String, byte[]> TEMPLATE = files(
            "gavel.yaml", "apiVersion: gavel/v1\n",
            "policies/eu-residency.yaml", "kind: Policy\n",
            "tests/residency.test.yaml", "tests: []\n",
            ".github/workflows/gavel.yml", "on: pull_request\n");

    @Test
    @DisplayName("a work-tree repository starts with one commit and a clean git status")
    void workTree() throws Exception {
        Path dir = tmp.resolve("policies-repo");
        try (GitPolicyRepository store =
                GitPolicyRepository.initFromFiles(dir, TEMPLATE, false, "main", ALICE, "Start")) {
            assertThat(store.isBare()).isFalse();
            assertThat(GitCli.ok(dir, "status", "--porcelain")).isEmpty();
            assertThat(GitCli.ok(dir, "log", "--format=%an|%s")).isEqualTo("Alice|Start\n");
            assertThat(GitCli.ok(dir, "branch", "--show-current").strip()).isEqualTo("main");
            assertThat(Files.readString(dir.resolve("policies/eu-residency.yaml")))
                    .isEqualTo("kind: Policy\n");
            assertThat(GitCli.run(dir, "fsck", "--strict").exit()).isZero();
            assertThat(text(store.filesAt("HEAD").files()))
                    .containsOnlyKeys("gavel.yaml", "policies/eu-residency.yaml", "tests/residency.test.yaml");
        }
    }

    @Test
    @DisplayName("a bare repository holds the files in one commit on the given branch")
    void bare() throws Exception {
        Path dir = tmp.resolve("served.git");
        try (GitPolicyRepository store =
                GitPolicyRepository.initFromFiles(dir, TEMPLATE, true, "live", ALICE, "Start")) {
            assertThat(store.isBare()).isTrue();
            assertThat(store.branch()).isEqualTo("live");
            assertThat(GitCli.ok(dir, "ls-tree", "-r", "--name-only", "live").lines())
                    .containsExactlyInAnyOrder(
                            "gavel.yaml",
                            "policies/eu-residency.yaml",
                            "tests/residency.test.yaml",
                            ".github/workflows/gavel.yml");
            assertThat(GitCli.ok(dir, "symbolic-ref", "HEAD").strip()).isEqualTo("refs/heads/live");
            assertThat(GitCli.run(dir, "fsck", "--strict").exit()).isZero();
        }
    }

    @Test
    @DisplayName("init refuses an existing repository and unsafe paths, and open refuses a non-repository")
    void refusals() throws Exception {
        Path dir = tmp.resolve("r");
        GitPolicyRepository.initFromFiles(dir, TEMPLATE, false, "main", ALICE, "Start")
                .close();
        assertThatThrownBy(() -> GitPolicyRepository.initFromFiles(dir, TEMPLATE, false, "main", ALICE, "again"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("already a Git repository");
        assertThatThrownBy(() -> GitPolicyRepository.initFromFiles(
                        tmp.resolve("x"), files("../escape.yaml", "x"), false, "main", ALICE, "bad"))
                .isInstanceOf(InvalidRepoPathException.class);
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThatThrownBy(() -> GitPolicyRepository.open(tmp.resolve("nothing"), "main"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a Git repository");
        assertThatThrownBy(() -> GitPolicyRepository.open(dir, "bad..branch"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("committing into a work-tree repository leaves its work tree alone (serve a bare repository)")
    void workTreeCommitDocumented() throws Exception {
        Path dir = tmp.resolve("wt");
        try (GitPolicyRepository store =
                GitPolicyRepository.initFromFiles(dir, TEMPLATE, false, "main", ALICE, "Start")) {
            store.commit(ChangeSet.put("policies/new.yaml", Fixtures.bytes("n")), ALICE, "via store");
            assertThat(GitCli.ok(dir, "log", "-1", "--format=%s").strip()).isEqualTo("via store");
            assertThat(dir.resolve("policies/new.yaml")).doesNotExist();
            assertThat(GitCli.run(dir, "fsck", "--strict").exit()).isZero();
        }
    }
}
