package dev.gavel.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad commits pushed with the git command line to the repository a running server serves: a blob over
 * the policy file limit, and a policy file that does not parse. Neither is an outage, before or after a
 * restart: the commit is a diagnostic, the newest good commit stays served, writes keep working.
 */
class RepositoryFaultsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    @DisplayName(
            "a 60 MB blob pushed under policies/: a diagnostic, the good commit served, GET and revert work, a restart serves")
    void largeBlobPushed() throws Exception {
        Path data = tmp.resolve("data");
        Path work = tmp.resolve("work");
        String good;
        String big;
        try (GavelProcess server = GavelProcess.serve(data, "--poll", "200ms")) {
            server.awaitStatus(http, "/readyz", 200, Duration.ofSeconds(60));
            good = status(server).at("/served/commit").asText();
            Git.run(tmp, "clone", "-q", server.repository().toString(), work.toString());
            try (OutputStream out = Files.newOutputStream(work.resolve("policies/acme/huge.yaml"))) {
                byte[] line = "# padding padding padding padding padding padding padding padding padding padding\n"
                        .getBytes(StandardCharsets.UTF_8);
                for (long written = 0; written < 60L << 20; written += line.length) {
                    out.write(line);
                }
            }
            Git.run(work, "add", "policies/acme/huge.yaml");
            Git.run(work, "commit", "-q", "-m", "a 60 MB file");
            Git.run(work, "push", "-q", "origin", "HEAD:main");
            big = Git.run(work, "rev-parse", "HEAD").strip();

            JsonNode st =
                    awaitStatus(server, s -> big.equals(s.at("/newest/commit").asText()));
            assertThat(st.at("/served/commit").asText()).isEqualTo(good);
            assertThat(st.at("/newest/compiled").asBoolean()).isFalse();
            assertThat(st.at("/newest/diagnostics/0/file").asText()).isEqualTo("policies/acme/huge.yaml");
            assertThat(get(server, "/api/v1/commits/" + big).statusCode()).isEqualTo(200);
            assertThat(server.terminate(Duration.ofSeconds(30))).isIn(0, 143);
        }
        try (GavelProcess restarted = GavelProcess.serve(data, "--poll", "200ms")) {
            restarted.awaitStatus(http, "/readyz", 200, Duration.ofSeconds(60));
            JsonNode st = status(restarted);
            assertThat(st.at("/served/commit").asText())
                    .as("a restart on the bad head serves the newest good commit")
                    .isEqualTo(good);
            assertThat(st.at("/newest/commit").asText()).isEqualTo(big);
            HttpResponse<String> revert = send(restarted, "POST", "/api/v1/commits/" + big + "/revert", null);
            assertThat(revert.statusCode()).as(revert.body()).isEqualTo(200);
            String reverted = JSON.readTree(revert.body()).path("commit").asText();
            JsonNode after = awaitStatus(
                    restarted, s -> reverted.equals(s.at("/served/commit").asText()));
            assertThat(after.at("/newest/compiled").asBoolean()).isTrue();
            assertThat(restarted.output()).noneMatch(l -> l.contains("Exception"));
        }
    }

    @Test
    @DisplayName(
            "a commit that does not parse, then a restart: the server starts, serves the good commit, reports file:line")
    void brokenCommitThenRestart() throws Exception {
        Path data = tmp.resolve("data");
        Path work = tmp.resolve("work");
        String good;
        String broken;
        try (GavelProcess server = GavelProcess.serve(data, "--poll", "200ms")) {
            server.awaitStatus(http, "/readyz", 200, Duration.ofSeconds(60));
            good = status(server).at("/served/commit").asText();
            Git.run(tmp, "clone", "-q", server.repository().toString(), work.toString());
            Files.writeString(
                    work.resolve("policies/acme/broken.yaml"),
                    "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: broken\nspec:\n  type: [unclosed\n");
            Git.run(work, "add", ".");
            Git.run(work, "commit", "-q", "-m", "a broken policy");
            Git.run(work, "push", "-q", "origin", "HEAD:main");
            broken = Git.run(work, "rev-parse", "HEAD").strip();
            awaitStatus(server, s -> broken.equals(s.at("/newest/commit").asText()));
            server.kill(); // a crash, not a clean stop
        }
        try (GavelProcess restarted = GavelProcess.serve(data, "--poll", "200ms")) {
            restarted.awaitStatus(http, "/readyz", 200, Duration.ofSeconds(60));
            JsonNode st = status(restarted);
            assertThat(st.at("/served/commit").asText()).isEqualTo(good);
            assertThat(st.at("/newest/commit").asText()).isEqualTo(broken);
            assertThat(st.at("/newest/diagnostics/0/file").asText()).isEqualTo("policies/acme/broken.yaml");
            assertThat(st.at("/newest/diagnostics/0/line").asInt()).isPositive();
            // the fix, pushed: served
            Files.writeString(
                    work.resolve("policies/acme/broken.yaml"),
                    "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n"
                            + "  name: broken\n  owner: faults\nspec:\n  type: maxTokens\n  enforcement: warn\n  settings:\n    output: 900\n");
            Git.run(work, "commit", "-q", "-am", "fix the broken policy");
            Git.run(work, "push", "-q", "origin", "HEAD:main");
            String fixed = Git.run(work, "rev-parse", "HEAD").strip();
            awaitStatus(restarted, s -> fixed.equals(s.at("/served/commit").asText()));
        }
    }

    private JsonNode status(GavelProcess server) throws Exception {
        HttpResponse<String> r = get(server, "/api/v1/status");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode awaitStatus(GavelProcess server, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = status(server);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("status never reached the expected state; last: " + last);
    }

    private HttpResponse<String> get(GavelProcess server, String path) throws IOException, InterruptedException {
        return send(server, "GET", path, null);
    }

    private HttpResponse<String> send(GavelProcess server, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + server.adminToken())
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
