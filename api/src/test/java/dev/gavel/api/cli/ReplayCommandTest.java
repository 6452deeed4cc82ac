package dev.gavel.api.cli;

import static dev.gavel.api.cli.CliRun.gavel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.auth.Role;
import dev.gavel.api.server.GavelServer;
import dev.gavel.api.server.ServerOptions;
import dev.gavel.api.server.eval.EvaluationSettings;
import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.log.LogSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code gavel validate --replay}: requests logged by a real server (from the template's policies) are replayed
 * against a changed work tree made by {@code gavel init}, from the SQLite log file and from the server's export.
 */
class ReplayCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Principal> TOKENS = Map.of(
            "reader-token", new Principal("reader", Role.READER, Optional.empty()),
            "globex-token", new Principal("globex-runtime", Role.READER, Optional.of(Set.of("globex"))));
    static final Authenticator AUTH = header -> header == null || !header.startsWith("Bearer ")
            ? Optional.empty()
            : Optional.ofNullable(TOKENS.get(header.substring("Bearer ".length())));

    /** 30 allowed at acme.mail (1,200 tokens), 20 allowed at globex, 10 denied at acme (outside the EU), 5 jobs at initech (no tokens). */
    static final int ACME_ALLOWED = 30;

    static final int GLOBEX_ALLOWED = 20;
    static final int ACME_DENIED = 10;
    static final int JOBS = 5;
    static final int LOGGED = ACME_ALLOWED + GLOBEX_ALLOWED + ACME_DENIED + JOBS;

    @TempDir
    static Path tmp;

    static GavelServer server;
    static Path log;

    @BeforeAll
    static void logEvaluations() throws Exception {
        GitPolicyRepository served = GitPolicyRepository.initFromFiles(
                tmp.resolve("served.git"),
                RepositoryTemplate.files(),
                true,
                "main",
                new Author("Tester", "tester@example.com"),
                "Template policies");
        log = tmp.resolve("evaluations.db");
        server = new GavelServer(
                        served,
                        AUTH,
                        ServerOptions.defaults().withPort(0),
                        EvaluationSettings.of(LogSettings.defaults(log)))
                .start();
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < ACME_ALLOWED; i++) {
            batch.add(request("acme.mail", "model", "eu-west-1", "IE", "EU", true));
        }
        for (int i = 0; i < GLOBEX_ALLOWED; i++) {
            batch.add(request("globex.app", "model", "eu-west-1", "IE", "EU", true));
        }
        for (int i = 0; i < ACME_DENIED; i++) {
            batch.add(request("acme.chat", "model", "us-east-1", "US", "NA", true));
        }
        for (int i = 0; i < JOBS; i++) {
            batch.add(request("initech.lab", "job", "eu-west-1", "IE", "EU", false));
        }
        HttpResponse<String> r = send("POST", "/api/v1/evaluate/batch", "reader-token", batch.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode decided = JSON.readTree(r.body()).path("evaluations");
        assertThat(decided).hasSize(LOGGED);
        assertThat(decided.get(0).path("decision").asText()).isEqualTo("allow");
        assertThat(decided.get(ACME_ALLOWED + GLOBEX_ALLOWED).path("decision").asText())
                .isEqualTo("deny");
        server.evaluations().log().flush();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static ObjectNode request(
            String scope, String type, String location, String country, String continent, boolean tokens) {
        ObjectNode n = JSON.createObjectNode();
        n.put("scope", scope);
        n.putObject("resource").put("type", type).put("name", "m1");
        n.put("action", "invoke");
        n.putObject("location").put("name", location).put("country", country).put("continent", continent);
        n.putObject("flavor").put("name", "c7i.large").put("type", "cpu");
        if (tokens) {
            n.putObject("tokens").put("input", 1000).put("output", 200);
        }
        return n;
    }

    static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A work tree of the template with a total token limit of 1,000 for acme.mail (no policy test runs there, so
     * the tests still pass) and a new initech policy that needs tokens.
     */
    static Path changedRepository(String name) throws Exception {
        Path repo = tmp.resolve(name);
        assertThat(gavel("init", repo.toString()).exit()).isZero();
        Files.createDirectories(repo.resolve("policies/acme/mail"));
        Files.writeString(repo.resolve("policies/acme/mail/token-limits.yaml"), """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: token-limits}
        spec: {type: maxTokens, enforcement: block, settings: {total: 1000}}
        """);
        Files.createDirectories(repo.resolve("policies/initech"));
        Files.writeString(repo.resolve("policies/initech/job-tokens.yaml"), """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: job-tokens}
        spec: {type: maxTokens, enforcement: block, resourceTypes: [job], settings: {input: 5000}}
        """);
        return repo;
    }

    @Test
    @DisplayName("the unchanged template replays every logged request with no flip")
    void unchangedHeadFlipsNothing() throws Exception {
        Path repo = tmp.resolve("unchanged");
        assertThat(gavel("init", repo.toString()).exit()).isZero();
        CliRun run = gavel(
                "validate",
                "--repo",
                repo.toString(),
                "--replay",
                log.toString(),
                "--fail-on-flip",
                "--format",
                "json");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        JsonNode replay = JSON.readTree(run.out()).path("replay");
        assertThat(replay.path("replayed").asLong()).isEqualTo(LOGGED);
        assertThat(replay.path("flipped").asLong()).isZero();
        assertThat(replay.path("policies")).isEmpty();
        assertThat(run.err())
                .as("no progress line when stderr is not a terminal")
                .isEmpty();
    }

    @Test
    @DisplayName(
            "a lowered limit flips allow->deny and a policy needing a missing field flips allow->refused, counted per policy with examples")
    void flipsFromTheLogFile() throws Exception {
        Path repo = changedRepository("changed");
        CliRun run = gavel("validate", "--repo", repo.toString(), "--replay", log.toString(), "--format", "json");
        assertThat(run.exit()).as(run.out() + run.err()).isZero(); // flips alone do not fail without --fail-on-flip
        JsonNode replay = JSON.readTree(run.out()).path("replay");
        assertThat(replay.path("source").asText()).isEqualTo(log.toString());
        assertThat(replay.path("replayed").asLong()).isEqualTo(LOGGED);
        assertThat(replay.path("flipped").asLong()).isEqualTo(ACME_ALLOWED + JOBS);
        assertThat(replay.path("transitions").path("allow->deny").asLong()).isEqualTo(ACME_ALLOWED);
        assertThat(replay.path("transitions").path("allow->refused").asLong()).isEqualTo(JOBS);
        JsonNode top = replay.path("policies").get(0);
        assertThat(top.path("policy").asText()).isEqualTo("token-limits");
        assertThat(top.path("definedAt").asText()).isEqualTo("acme.mail");
        assertThat(top.path("flipped").asLong()).isEqualTo(ACME_ALLOWED);
        assertThat(top.path("examples")).hasSize(3).allSatisfy(e -> {
            assertThat(e.path("scope").asText()).isEqualTo("acme.mail");
            assertThat(e.path("before").asText()).isEqualTo("allow");
            assertThat(e.path("after").asText()).isEqualTo("deny");
            assertThat(e.path("why").asText()).startsWith("now denies: ");
        });
        JsonNode refused = replay.path("policies").get(1);
        assertThat(refused.path("policy").asText()).isEqualTo("job-tokens");
        assertThat(refused.path("definedAt").asText()).isEqualTo("initech");
        assertThat(refused.path("examples").get(0).path("why").asText()).contains("lacks tokens");

        CliRun failing = gavel("validate", "--repo", repo.toString(), "--replay", log.toString(), "--fail-on-flip");
        assertThat(failing.exit()).isEqualTo(1);
        assertThat(failing.out())
                .contains("replay: " + LOGGED + " evaluations replayed from " + log)
                .contains("token-limits (acme.mail): allow->deny " + ACME_ALLOWED)
                .contains("job-tokens (initech): allow->refused " + JOBS)
                .contains("; replay: " + (ACME_ALLOWED + JOBS) + " of " + LOGGED + " decisions would flip");

        CliRun markdown = gavel(
                "validate",
                "--repo",
                repo.toString(),
                "--replay",
                log.toString(),
                "--format",
                "markdown",
                "--limit",
                "10");
        assertThat(markdown.exit()).isZero();
        // The 10 newest logged rows are the 5 jobs and 5 of the acme denials, which stay denied.
        assertThat(markdown.out())
                .contains("#### Replay")
                .contains("10 evaluations replayed")
                .contains("| `job-tokens` (`initech`) | `allow->refused` 5 |")
                .doesNotContain("`token-limits`");
    }

    @Test
    @DisplayName(
            "replaying from the server's export gives the same counts; a tenant-limited token replays its tenant only")
    void flipsFromTheServer() throws Exception {
        Path repo = changedRepository("changed-from-server");
        String url = "http://127.0.0.1:" + server.port();
        CliRun run = gavel(
                "validate", "--repo", repo.toString(), "--replay", url, "--token", "reader-token", "--format", "json");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        JsonNode replay = JSON.readTree(run.out()).path("replay");
        assertThat(replay.path("replayed").asLong()).isEqualTo(LOGGED);
        assertThat(replay.path("flipped").asLong()).isEqualTo(ACME_ALLOWED + JOBS);
        assertThat(replay.path("transitions").path("allow->deny").asLong()).isEqualTo(ACME_ALLOWED);

        CliRun globex = gavel(
                "validate", "--repo", repo.toString(), "--replay", url, "--token", "globex-token", "--format", "json");
        JsonNode g = JSON.readTree(globex.out()).path("replay");
        assertThat(g.path("replayed").asLong()).isEqualTo(GLOBEX_ALLOWED);
        assertThat(g.path("flipped").asLong()).isZero();
    }

    @Test
    @DisplayName(
            "a fleet: --replay over several replicas' logs merges them; an evaluation met twice counts once; a source given twice is a usage error")
    void severalSources() throws Exception {
        // a second replica's log: the same requests, logged there under their own ids
        Path other = tmp.resolve("replica-b.db");
        try (dev.gavel.store.log.EvaluationLog a = dev.gavel.store.log.EvaluationLog.openReadOnly(log);
                dev.gavel.store.log.EvaluationLog b =
                        dev.gavel.store.log.EvaluationLog.open(LogSettings.defaults(other))) {
            for (dev.gavel.store.log.EvaluationRecord r : a.list(
                            dev.gavel.store.log.EvaluationFilter.ALL, Optional.empty(), 1000)
                    .evaluations()) {
                b.append(new dev.gavel.store.log.EvaluationRecord(
                        dev.gavel.store.log.EvaluationIds.next(),
                        r.time(),
                        r.scope(),
                        r.tenant(),
                        r.resourceType(),
                        r.action(),
                        r.decision(),
                        r.commit(),
                        r.durationMicros(),
                        r.requestJson(),
                        r.matches(),
                        r.applicable()));
            }
        }
        Path repo = changedRepository("changed-fleet");
        CliRun two = gavel("validate", "--repo", repo.toString(), "--replay", log + "," + other, "--format", "json");
        assertThat(two.exit()).as(two.out() + two.err()).isZero();
        JsonNode merged = JSON.readTree(two.out()).path("replay");
        assertThat(merged.path("source").asText()).isEqualTo(log + ", " + other);
        assertThat(merged.path("replayed").asLong()).isEqualTo(2L * LOGGED);
        assertThat(merged.path("flipped").asLong()).isEqualTo(2L * (ACME_ALLOWED + JOBS));

        // the server and its own log file hold the same evaluations: replayed once
        String url = "http://127.0.0.1:" + server.port();
        CliRun same = gavel(
                "validate",
                "--repo",
                repo.toString(),
                "--replay",
                log.toString(),
                "--replay",
                url,
                "--token",
                "reader-token",
                "--format",
                "json");
        assertThat(same.exit()).as(same.out() + same.err()).isZero();
        assertThat(JSON.readTree(same.out()).path("replay").path("replayed").asLong())
                .isEqualTo(LOGGED);

        CliRun twice =
                gavel("validate", "--repo", repo.toString(), "--replay", log.toString(), "--replay", log.toString());
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("--replay: a source is given twice");
    }

    @Test
    @DisplayName("the export streams NDJSON newest first, honours limit and since, and needs a token")
    void export() throws Exception {
        HttpResponse<String> all = send("GET", "/api/v1/evaluations/export", "reader-token", null);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<String> lines = all.body().lines().toList();
        assertThat(lines).hasSize(LOGGED);
        JsonNode newest = JSON.readTree(lines.get(0));
        assertThat(newest.path("scope").asText()).isEqualTo("initech.lab");
        assertThat(newest.path("request").path("resource").path("type").asText())
                .isEqualTo("job");
        assertThat(send("GET", "/api/v1/evaluations/export?limit=7", "reader-token", null)
                        .body()
                        .lines())
                .hasSize(7);
        assertThat(send("GET", "/api/v1/evaluations/export?since=2999-01-01T00:00:00Z", "reader-token", null)
                        .body())
                .isEmpty();
        assertThat(send("GET", "/api/v1/evaluations/export?limit=0", "reader-token", null)
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("GET", "/api/v1/evaluations/export", null, null).statusCode())
                .isEqualTo(401);
    }

    @Test
    @DisplayName(
            "usage errors exit 2 and say why: no such log, not a log, a refused token, a bad age, --fail-on-flip alone")
    void usageErrors() throws Exception {
        Path repo = tmp.resolve("plain");
        assertThat(gavel("init", repo.toString()).exit()).isZero();
        CliRun missing = gavel(
                "validate",
                "--repo",
                repo.toString(),
                "--replay",
                tmp.resolve("nope.db").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--replay: no evaluation log at");
        assertThat(tmp.resolve("nope.db")).doesNotExist();

        CliRun notALog = gavel(
                "validate",
                "--repo",
                repo.toString(),
                "--replay",
                repo.resolve("gavel.yaml").toString());
        assertThat(notALog.exit()).isEqualTo(2);
        assertThat(notALog.err()).contains("not a Gavel evaluation log");

        CliRun refused = gavel(
                "validate",
                "--repo",
                repo.toString(),
                "--replay",
                "http://127.0.0.1:" + server.port(),
                "--token",
                "wrong");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("answered 401");

        assertThat(gavel("validate", "--repo", repo.toString(), "--replay", log.toString(), "--since", "yesterday")
                        .err())
                .contains("--since 'yesterday' is not a duration");
        CliRun alone = gavel("validate", "--repo", repo.toString(), "--fail-on-flip");
        assertThat(alone.exit()).isEqualTo(2);
        assertThat(alone.err()).contains("--fail-on-flip needs --replay");
    }
}
