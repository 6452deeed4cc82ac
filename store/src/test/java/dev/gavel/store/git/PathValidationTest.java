package dev.gavel.store.git;

import static dev.gavel.store.git.Fixtures.ALICE;
import static dev.gavel.store.git.Fixtures.bytes;
import static dev.gavel.store.git.Fixtures.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathValidationTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gavel.yaml", "policies/eu.yaml", "policies/acme/chat/support-bot/prod/token-limits.yaml",
                "tests/residency.yaml", "tests/residency.test.yaml", "policies/a1/b-2/c.yaml"
            })
    @DisplayName("layout paths with valid names are accepted")
    void accepted(String path) {
        assertThat(RepoPaths.policyPathProblem(path)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "/policies/a.yaml",
                "policies/../a.yaml",
                "policies/./a.yaml",
                "policies//a.yaml",
                "policies\\a.yaml",
                "policies/Acme/a.yaml",
                "policies/A.yaml",
                "policies/.git/config",
                ".git/config",
                "policies/a.yml",
                "policies/a",
                "policies/-a.yaml",
                "policies/a-.yaml",
                "policies/a_b.yaml",
                "policies/a.b.yaml",
                "README.md",
                "tests/sub/t.yaml",
                "policies",
                "policies/",
                "gavel.yaml/x",
                "other/a.yaml",
                "policies/a\n.yaml",
                "policies/\u00e9t\u00e9.yaml",
                "policies/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.yaml"
            })
    @DisplayName("hostile or off-layout paths are refused with a reason")
    void refused(String path) {
        assertThat(RepoPaths.policyPathProblem(path)).isPresent();
    }

    @Test
    @DisplayName("a change set with one hostile path is refused whole: nothing is written, head is unchanged")
    void nothingWritten() throws Exception {
        Path dir = tmp.resolve("r.git");
        try (GitPolicyRepository store = Fixtures.bare(dir, files("policies/a.yaml", "a"))) {
            String head = store.head().orElseThrow();
            String objectsBefore = GitCli.ok(dir, "count-objects");

            assertThatThrownBy(() -> store.commit(
                            ChangeSet.builder()
                                    .put("policies/ok.yaml", bytes("fine"))
                                    .put("policies/../../etc/passwd.yaml", bytes("x"))
                                    .delete(".git/HEAD")
                                    .build(),
                            ALICE,
                            "sneaky"))
                    .isInstanceOfSatisfying(
                            InvalidRepoPathException.class,
                            e -> assertThat(e.problems()).hasSize(2));

            assertThat(store.head()).contains(head);
            assertThat(GitCli.ok(dir, "count-objects")).isEqualTo(objectsBefore);
        }
    }

    @Test
    @DisplayName("a put that would turn an existing directory into a file is refused")
    void collisionRefused() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("tests/t.yaml", "t"))) {
            String head = store.head().orElseThrow();
            // Only reachable through a repository that already holds odd paths; the store must not corrupt it.
            GitCli.ok(
                    tmp,
                    "clone",
                    "-q",
                    tmp.resolve("r.git").toString(),
                    tmp.resolve("w").toString());
            GitCli.write(tmp.resolve("w"), "policies/x.yaml/inner.txt", "odd");
            GitCli.commitAll(tmp.resolve("w"), "odd directory");
            GitCli.ok(tmp.resolve("w"), "push", "-q", "origin", "main");
            String odd = store.head().orElseThrow();
            assertThat(odd).isNotEqualTo(head);

            assertThatThrownBy(() -> store.commit(ChangeSet.put("policies/x.yaml", bytes("p")), ALICE, "collide"))
                    .isInstanceOf(InvalidRepoPathException.class)
                    .hasMessageContaining("is a directory");
            assertThat(store.head()).contains(odd);
        }
    }

    @Test
    @DisplayName("an empty or missing commit message is refused")
    void messageRequired() throws Exception {
        try (GitPolicyRepository store = Fixtures.bare(tmp.resolve("r.git"), files("policies/a.yaml", "a"))) {
            assertThatThrownBy(() -> store.commit(ChangeSet.put("policies/b.yaml", bytes("b")), ALICE, "  "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("message");
        }
    }
}
