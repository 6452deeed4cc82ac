package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.model.Enforcement;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.CommitInfo;
import dev.gavel.store.git.GitPolicyRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Days at an enforcement come from Git: the newest unbroken run of versions of the file at that enforcement. */
class GitEnforcementHistoryTest {
    static final String FILE = "policies/acme/no-gpu.yaml";
    static final Author ME = new Author("Tester", "tester@example.com");

    static byte[] version(String enforcement, String description) {
        return ("""
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: no-gpu, description: %s}
        spec:
          type: custom
          enforcement: %s
          rules: [{name: r, when: 'flavor.type == "gpu"', effect: deny, message: no}]
        """.formatted(description, enforcement)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("warn, warn, block, block (edited), warn: warn since the last commit; block's run began at its first")
    void runs(@TempDir Path dir) throws Exception {
        try (GitPolicyRepository repo = GitPolicyRepository.initFromFiles(
                dir.resolve("r.git"), Map.of(FILE, version("warn", "a")), true, "main", ME, "v1")) {
            String v2 = repo.commit(ChangeSet.put(FILE, version("warn", "b")), ME, "v2")
                    .commitId();
            String v3 = repo.commit(ChangeSet.put(FILE, version("block", "b")), ME, "v3")
                    .commitId();
            String v4 = repo.commit(ChangeSet.put(FILE, version("block", "c")), ME, "v4")
                    .commitId();
            GitEnforcementHistory history = new GitEnforcementHistory(repo);
            assertThat(history.sinceCommit(FILE, Enforcement.BLOCK))
                    .map(CommitInfo::id)
                    .contains(v3);
            assertThat(history.sinceCommit(FILE, Enforcement.WARN)).isEmpty(); // the newest version is not at warn
            String v5 = repo.commit(ChangeSet.put(FILE, version("warn", "c")), ME, "v5")
                    .commitId();
            assertThat(history.sinceCommit(FILE, Enforcement.WARN))
                    .map(CommitInfo::id)
                    .contains(v5);
            assertThat(history.since(FILE, Enforcement.WARN)).isPresent();
            assertThat(v2).isNotEqualTo(v4);
            assertThat(history.sinceCommit("policies/acme/none.yaml", Enforcement.WARN))
                    .isEmpty();
        }
    }
}
