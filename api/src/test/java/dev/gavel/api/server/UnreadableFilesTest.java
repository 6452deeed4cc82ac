package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.server.ServerFixture.Resp;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit pushed with the git CLI that carries a file no policy can be (a 60 MB blob, a symbolic link)
 * is a diagnostic of that commit, never an outage: it is not served, status says why, writes on top
 * keep working, and a restart on it serves the newest good commit.
 */
class UnreadableFilesTest {
    @TempDir
    Path dir;

    private static void git(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                "/usr/bin/git",
                "-c",
                "user.name=Pusher",
                "-c",
                "user.email=pusher@example.com",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "core.bigFileThreshold=1m"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", args) + ": " + out).isZero();
    }

    @Test
    @DisplayName("a 60 MB blob under policies/ is a diagnostic with its size; writes and restarts keep working")
    void largeBlob() throws Exception {
        Path repoDir;
        String good;
        String big;
        try (ServerFixture f = ServerFixture.start(dir)) {
            repoDir = f.repoDir;
            good = f.repository.head().orElseThrow();
            Path work = dir.resolve("work");
            git(dir, "clone", "-q", f.repoDir.toString(), work.toString());
            byte[] huge = new byte[60 << 20];
            java.util.Arrays.fill(huge, (byte) 'a');
            Files.write(work.resolve("policies/acme/huge.yaml"), huge);
            git(work, "add", "policies/acme/huge.yaml");
            git(work, "commit", "-qm", "A huge file");
            git(work, "push", "-q", "origin", "HEAD:main");
            big = f.repository.head().orElseThrow();
            assertThat(ServerFixture.eventually(
                            Duration.ofSeconds(20),
                            () -> big.equals(f.get("/api/v1/status", "reader")
                                    .json()
                                    .at("/newest/commit")
                                    .asText())))
                    .isTrue();
            JsonNode status = f.get("/api/v1/status", "reader").json();
            assertThat(status.at("/served/commit").asText()).isEqualTo(good);
            assertThat(status.at("/newest/compiled").asBoolean()).isFalse();
            assertThat(status.at("/newest/diagnostics/0/file").asText()).isEqualTo("policies/acme/huge.yaml");
            assertThat(status.at("/newest/diagnostics/0/message").asText()).contains(Integer.toString(60 << 20));
            assertThat(f.get("/api/v1/attention", "reader").text()).contains("policies/acme/huge.yaml");
            Resp commit = f.get("/api/v1/commits/" + big, "reader");
            assertThat(commit.status()).as(commit.text()).isEqualTo(200);
            assertThat(commit.json().at("/files/0/diff").asText()).contains("not shown");
            // A write that leaves the file is refused with the reason; reverting the commit is a write that works.
            Resp write = f.send("POST", "/api/v1/scopes/acme/policies/token-limits/demote", "editor", null);
            assertThat(write.status()).as(write.text()).isEqualTo(422);
            assertThat(write.text()).contains("huge.yaml");
            Resp revert = f.send("POST", "/api/v1/commits/" + big + "/revert", "admin", null);
            assertThat(revert.status()).as(revert.text()).isEqualTo(200);
            String reverted = f.repository.head().orElseThrow();
            assertThat(ServerFixture.eventually(
                            Duration.ofSeconds(20),
                            () -> reverted.equals(f.get("/api/v1/status", "reader")
                                    .json()
                                    .at("/served/commit")
                                    .asText())))
                    .isTrue();
            // Put the huge commit back at the head for the restart.
            git(work, "push", "-q", "-f", "origin", big + ":main");
        }
        GitPolicyRepository again = GitPolicyRepository.open(repoDir, "main");
        assertThat(again.head()).contains(big);
        try (ServerFixture f = ServerFixture.open(
                repoDir, again, ServerOptions.defaults().withPort(0).withPoll(Duration.ofMillis(100)))) {
            JsonNode status = f.get("/api/v1/status", "reader").json();
            assertThat(status.at("/served/commit").asText()).isEqualTo(good);
            assertThat(status.at("/newest/diagnostics/0/file").asText()).isEqualTo("policies/acme/huge.yaml");
        }
    }

    @Test
    @DisplayName("a symbolic link under policies/ is a diagnostic of its commit, as the work-tree validator says")
    void symlink() throws Exception {
        try (ServerFixture f = ServerFixture.start(dir)) {
            Path work = dir.resolve("work");
            git(dir, "clone", "-q", f.repoDir.toString(), work.toString());
            Files.createSymbolicLink(work.resolve("policies/acme/linked.yaml"), Path.of("token-limits.yaml"));
            git(work, "add", "policies/acme/linked.yaml");
            git(work, "commit", "-qm", "A link");
            git(work, "push", "-q", "origin", "HEAD:main");
            String link = f.repository.head().orElseThrow();
            assertThat(ServerFixture.eventually(
                            Duration.ofSeconds(20),
                            () -> link.equals(f.get("/api/v1/status", "reader")
                                    .json()
                                    .at("/newest/commit")
                                    .asText())))
                    .isTrue();
            JsonNode status = f.get("/api/v1/status", "reader").json();
            assertThat(status.at("/newest/compiled").asBoolean()).isFalse();
            assertThat(status.at("/newest/diagnostics/0/file").asText()).isEqualTo("policies/acme/linked.yaml");
            assertThat(status.at("/newest/diagnostics/0/message").asText()).contains("symbolic link");
        }
    }
}
