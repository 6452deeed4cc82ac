package dev.gavel.api.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.auth.Role;
import dev.gavel.api.server.GavelServer;
import dev.gavel.api.server.ServerOptions;
import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /api/v1/impact on a real server over a bare repository; the change under review is a branch
 * pushed with the git CLI, as a forge would hold a pull request's head.
 */
class ImpactRouteTest {
    static final Map<String, Principal> TOKENS = Map.of(
            "reader", new Principal("reader", Role.READER, Optional.empty()),
            "globex-reader", new Principal("globex", Role.READER, Optional.of(Set.of("globex"))));
    static final Authenticator AUTH = h ->
            h == null || !h.startsWith("Bearer ") ? Optional.empty() : Optional.ofNullable(TOKENS.get(h.substring(7)));

    @TempDir
    static Path dir;

    static GitPolicyRepository repository;
    static GavelServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path bare = dir.resolve("policies.git");
        GitPolicyRepository.initFromFiles(
                        bare, RepositoryTemplate.files(), true, "main", new Author("t", "t@x"), "Template")
                .close();
        Path work = dir.resolve("work");
        git(dir, "clone", "-q", bare.toString(), work.toString());
        git(work, "switch", "-q", "-c", "change");
        Path acme = work.resolve("policies/acme/token-limits.yaml");
        Files.writeString(acme, Files.readString(acme).replace("total: 50000 ", "total: 40000 "));
        Path globex = work.resolve("policies/globex/sla-p1.yaml");
        Files.writeString(
                globex, Files.readString(globex).replace("firstResponseMinutes: 30", "firstResponseMinutes: 20"));
        git(work, "commit", "-qam", "Lower acme's total, faster globex P1");
        git(work, "push", "-q", "origin", "change");
        repository = GitPolicyRepository.open(bare, "main");
        server = new GavelServer(repository, AUTH, ServerOptions.defaults().withPort(0)).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        repository.close();
    }

    @Test
    @DisplayName("a reader gets validate's JSON report for base and head refs: tests, and the impact per scope")
    void reportForTwoRefs() throws Exception {
        HttpResponse<String> r = post("{\"base\": \"main\", \"head\": \"change\"}", "reader");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(r.body());
        assertThat(json.path("ok").asBoolean()).isTrue();
        assertThat(json.at("/head/commit").asText()).isEqualTo(repository.resolve("change"));
        assertThat(json.at("/base/commit").asText()).isEqualTo(repository.resolve("main"));
        assertThat(json.at("/tests/failed").asInt()).isZero();
        assertThat(json.at("/tests/passed").asInt()).isEqualTo(21);
        assertThat(changed(json))
                .contains("acme:token-limits", "acme.chat:token-limits", "globex:sla-p1")
                .doesNotContain(":token-limits"); // the global token limit did not change
    }

    @Test
    @DisplayName("a reader limited to globex sees only globex's scopes and tests")
    void limitedReaderSeesItsTenant() throws Exception {
        HttpResponse<String> r = post("{\"base\": \"main\", \"head\": \"change\"}", "globex-reader");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode json = JSON.readTree(r.body());
        assertThat(changed(json)).containsExactly("globex:sla-p1");
        json.at("/tests/results")
                .forEach(t -> assertThat(t.path("scope").asText()).isIn("", "globex"));
        json.at("/impact/scopesCompared").forEach(s -> assertThat(s.asText()).isIn("", "globex"));
    }

    @Test
    @DisplayName("bad bodies are 400, unknown refs 422, a missing token 401; none of them compiles anything")
    void badInput() throws Exception {
        assertThat(post("{\"head\": \"change\"}", "reader").statusCode()).isEqualTo(400);
        assertThat(post("{\"base\": \"main\", \"extra\": 1}", "reader").statusCode())
                .isEqualTo(400);
        assertThat(post("{\"base\": \"../etc\"}", "reader").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post("{\"base\": \"no-such-branch\"}", "reader");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("no-such-branch");
        assertThat(post("{\"base\": \"main\"}", null).statusCode()).isEqualTo(401);
    }

    static List<String> changed(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.at("/impact/scopes")
                .forEach(s -> s.path("changes")
                        .forEach(c -> out.add(s.path("scope").asText() + ":"
                                + c.path("policy").asText())));
        return out;
    }

    static HttpResponse<String> post(String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/v1/impact"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void git(Path in, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "/usr/bin/git",
                "-C",
                in.toString(),
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@x",
                "-c",
                "commit.gpgsign=false"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + ": " + out);
        }
    }
}
