package dev.gavel.api.server;

import static dev.gavel.api.server.ServerReadsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.server.ServerFixture.Resp;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served snapshot follows the branch: pushes by the git CLI, broken pushes, a broken HEAD at start, the webhook. */
class ServerFollowsBranchTest {
    @TempDir
    Path dir;

    private void git(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                "/usr/bin/git",
                "-c",
                "user.name=Pusher",
                "-c",
                "user.email=pusher@example.com",
                "-c",
                "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", args) + ": " + out).isZero();
    }

    private static String servedCommit(ServerFixture f) {
        return f.get("/api/v1/status", "reader").json().at("/served/commit").asText();
    }

    @Test
    @DisplayName("a good push by the git CLI is served; a broken one is not, and status shows its diagnostics")
    void pushesAreFollowed() throws Exception {
        try (ServerFixture f = ServerFixture.start(dir)) {
            Path work = dir.resolve("work");
            git(dir, "clone", "-q", f.repoDir.toString(), work.toString());
            Path file = work.resolve("policies/acme/token-limits.yaml");
            Files.writeString(file, Files.readString(file).replace("total: 50000", "total: 42000"));
            git(work, "commit", "-qam", "Lower acme's limit");
            git(work, "push", "-q", "origin", "HEAD:main");
            String good = f.repository.head().orElseThrow();
            assertThat(ServerFixture.eventually(Duration.ofSeconds(20), () -> good.equals(servedCommit(f))))
                    .isTrue();
            assertThat(f.get("/api/v1/scopes/acme/policies/token-limits", "reader")
                            .json()
                            .at("/policy/spec/settings/total")
                            .asInt())
                    .isEqualTo(42000);

            Files.writeString(file, Files.readString(file).replace("enforcement: block", "enforcement: blok"));
            git(work, "commit", "-qam", "Typo");
            git(work, "push", "-q", "origin", "HEAD:main");
            String broken = f.repository.head().orElseThrow();
            assertThat(ServerFixture.eventually(
                            Duration.ofSeconds(20),
                            () -> broken.equals(f.get("/api/v1/status", "reader")
                                    .json()
                                    .at("/newest/commit")
                                    .asText())))
                    .isTrue();
            JsonNode status = f.get("/api/v1/status", "reader").json();
            assertThat(status.at("/served/commit").asText()).isEqualTo(good);
            assertThat(status.at("/newest/compiled").asBoolean()).isFalse();
            assertThat(status.path("upToDate").asBoolean()).isFalse();
            assertThat(status.at("/newest/diagnostics/0/file").asText()).isEqualTo("policies/acme/token-limits.yaml");
            assertThat(status.at("/newest/diagnostics/0/line").asInt()).isPositive();
            // Another tenant's token learns that the newest commit is not served, not what is in acme's files.
            JsonNode globex = f.get("/api/v1/status", "globex-reader").json();
            assertThat(globex.at("/newest/compiled").asBoolean()).isFalse();
            assertThat(globex.at("/newest/diagnostics").size()).isZero();
            assertThat(status.at("/newest/diagnostics/0/message").asText()).contains("blok");
            // The unauthenticated probe says ready and how many diagnostics, never which files or what they say.
            Resp ready = f.get("/readyz", null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().at("/newest/diagnosticCount").asInt()).isEqualTo(1);
            assertThat(ready.json().at("/newest/diagnostics").isMissingNode()).isTrue();
            assertThat(ready.text()).doesNotContain("acme").doesNotContain("blok");
            assertThat(f.get("/api/v1/scopes/acme/resolved", "reader")
                            .json()
                            .path("commit")
                            .asText())
                    .isEqualTo(good);
            // Writes through the API are refused while the branch does not compile, unless they fix it.
            assertProblem(f.send("POST", "/api/v1/scopes/acme/policies/token-limits/demote", "editor", null), 422);
        }
    }

    @Test
    @DisplayName("started on a broken HEAD, the server serves the newest commit that compiles and says so")
    void brokenHeadAtStart() throws Exception {
        Path repoDir = dir.resolve("broken.git");
        GitPolicyRepository repo = ServerFixture.templateRepo(repoDir);
        String good = repo.head().orElseThrow();
        repo.commit(
                ChangeSet.put(
                        "policies/acme/oops.yaml",
                        "apiVersion: gavel/v1\nkind: Nope\n".getBytes(StandardCharsets.UTF_8)),
                new Author("T", "t@example.com"),
                "Broken");
        String broken = repo.head().orElseThrow();
        try (ServerFixture f = ServerFixture.open(
                repoDir, repo, ServerOptions.defaults().withPort(0).withPoll(Duration.ofMillis(100)))) {
            JsonNode s = f.get("/api/v1/status", "reader").json();
            assertThat(f.get("/readyz", null).json().at("/served/commit").asText())
                    .isEqualTo(good);
            assertThat(s.at("/served/commit").asText()).isEqualTo(good);
            assertThat(s.at("/newest/commit").asText()).isEqualTo(broken);
            assertThat(s.at("/newest/compiled").asBoolean()).isFalse();
            assertThat(s.at("/newest/diagnostics/0/file").asText()).isEqualTo("policies/acme/oops.yaml");
        }
    }

    @Test
    @DisplayName("with a secret, the webhook needs a valid HMAC signature of its body and no token")
    void hookSignature() throws Exception {
        try (ServerFixture f = ServerFixture.start(
                dir,
                ServerOptions.defaults()
                        .withPort(0)
                        .withPoll(Duration.ofHours(1))
                        .withHookSecret("s3cret"))) {
            String body = "{\"ref\":\"refs/heads/main\"}";
            assertProblem(f.send("POST", "/api/v1/hooks/git", null, body), 401);
            assertProblem(
                    f.send("POST", "/api/v1/hooks/git", "admin", body, "X-Hub-Signature-256", "sha256=00ff"), 401);
            // A push behind the server's back: with hourly polling only the hook can make it served.
            Path work = dir.resolve("work");
            git(dir, "clone", "-q", f.repoDir.toString(), work.toString());
            git(work, "rm", "-q", "policies/globex/sla-p1.yaml");
            git(work, "commit", "-qm", "Drop globex's SLA");
            git(work, "push", "-q", "origin", "HEAD:main");
            // The server sees the new head (status reads the branch) and, with no poll due, has not served it.
            JsonNode before = f.get("/api/v1/status", "reader").json();
            assertThat(before.path("head").asText())
                    .isEqualTo(f.repository.head().orElseThrow());
            assertThat(before.path("upToDate").asBoolean()).isFalse();
            assertThat(before.at("/served/commit").asText())
                    .isNotEqualTo(before.path("head").asText());
            String sig = "sha256="
                    + HexFormat.of()
                            .formatHex(GitHook.hmac(
                                    "s3cret".getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8)));
            Resp r = f.send("POST", "/api/v1/hooks/git", null, body, "X-Hub-Signature-256", sig);
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            String head = f.repository.head().orElseThrow();
            assertThat(ServerFixture.eventually(Duration.ofSeconds(20), () -> head.equals(servedCommit(f))))
                    .isTrue();
        }
    }
}
