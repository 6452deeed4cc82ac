package dev.gavel.api.server.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.auth.Role;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.GavelServer;
import dev.gavel.api.server.ServerOptions;
import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.log.LogSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A real server over a real bare repository made from the template, with its evaluation log in a given
 * file (so a test can restart the server over the same log), and an HTTP client. Tokens are fixed names.
 */
final class EvalServer implements AutoCloseable {
    static final Map<String, Principal> TOKENS = Map.of(
            "reader", new Principal("reader", Role.READER, Optional.empty()),
            "editor", new Principal("Ed Itor", Role.EDITOR, Optional.empty()),
            "globex-reader", new Principal("globex-runtime", Role.READER, Optional.of(Set.of("globex"))),
            "acme-editor", new Principal("acme-ci", Role.EDITOR, Optional.of(Set.of("acme"))));

    static final Authenticator AUTH = header -> header == null || !header.startsWith("Bearer ")
            ? Optional.empty()
            : Optional.ofNullable(TOKENS.get(header.substring("Bearer ".length())));

    final GitPolicyRepository repository;
    final GavelServer server;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private EvalServer(GitPolicyRepository repository, GavelServer server) {
        this.repository = repository;
        this.server = server;
    }

    static GitPolicyRepository templateRepo(Path dir) throws IOException {
        return GitPolicyRepository.initFromFiles(
                dir.resolve("policies.git"),
                RepositoryTemplate.files(),
                true,
                "main",
                new Author("Tester", "tester@example.com"),
                "Template policies");
    }

    static EvalServer start(GitPolicyRepository repo, LogSettings log) {
        return start(repo, EvaluationSettings.of(log));
    }

    static EvalServer start(GitPolicyRepository repo, EvaluationSettings evaluations) {
        ServerOptions options = ServerOptions.defaults().withPort(0).withPoll(Duration.ofMillis(100));
        GavelServer server = new GavelServer(repo, AUTH, options, evaluations).start();
        return new EvalServer(repo, server);
    }

    record Resp(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return body.length == 0 ? MissingNode.getInstance() : Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }
    }

    Resp get(String path, String token) {
        return send("GET", path, token, null);
    }

    Resp post(String path, String token, Object body) {
        return send(
                "POST",
                path,
                token,
                body instanceof String s ? s : new String(Json.bytes(body), StandardCharsets.UTF_8));
    }

    Resp send(String method, String path, String token, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Resp(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes a policy through the API (the write waits until its commit is served). */
    Resp putPolicy(String scope, String name, String yaml) {
        return send(
                "PUT",
                "/api/v1/scopes/" + scope + "/policies/" + name,
                "editor",
                yaml,
                "Content-Type",
                "application/yaml");
    }

    /** Waits until every evaluation answered so far is in the log: the log writes in batches, after the answer. */
    void flushLog() {
        server.evaluations().log().flush();
    }

    /** Rows in the evaluation log once every evaluation answered so far has been written (batch durability). */
    long loggedCount() {
        server.evaluations().log().flush();
        return server.evaluations()
                .log()
                .list(dev.gavel.store.log.EvaluationFilter.ALL, java.util.Optional.empty(), 1_000_000)
                .evaluations()
                .size();
    }

    /** Stops the server (flushing the log); the repository stays open unless {@code closeRepository}. */
    void stop(boolean closeRepository) {
        server.close();
        if (closeRepository) {
            repository.close();
        }
    }

    @Override
    public void close() {
        stop(true);
    }
}
