package dev.gavel.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.auth.Role;
import dev.gavel.api.http.Json;
import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
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
 * A real server on a free port over a real bare repository made from the template, and an HTTP client.
 * Tokens are fixed names mapped to principals by a test implementation of {@link Authenticator}.
 */
final class ServerFixture implements AutoCloseable {
    static final Map<String, Principal> TOKENS = Map.of(
            "reader", new Principal("reader", Role.READER, Optional.empty()),
            "editor", new Principal("Ed Itor", Role.EDITOR, Optional.empty()),
            "admin", new Principal("admin", Role.ADMIN, Optional.empty()),
            "acme-editor", new Principal("acme-ci", Role.EDITOR, Optional.of(Set.of("acme"))),
            "globex-reader", new Principal("globex-runtime", Role.READER, Optional.of(Set.of("globex"))));

    static final Authenticator AUTH = header -> {
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.empty();
        }
        return Optional.ofNullable(TOKENS.get(header.substring("Bearer ".length())));
    };

    final Path repoDir;
    final GitPolicyRepository repository;
    final GavelServer server;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerFixture(Path repoDir, GitPolicyRepository repository, GavelServer server) {
        this.repoDir = repoDir;
        this.repository = repository;
        this.server = server;
    }

    static GitPolicyRepository templateRepo(Path dir) throws IOException {
        return GitPolicyRepository.initFromFiles(
                dir,
                RepositoryTemplate.files(),
                true,
                "main",
                new Author("Tester", "tester@example.com"),
                "Template policies");
    }

    static ServerFixture start(Path dir) throws IOException {
        return start(dir, ServerOptions.defaults().withPort(0).withPoll(Duration.ofMillis(100)));
    }

    static ServerFixture start(Path dir, ServerOptions options) throws IOException {
        Path repoDir = dir.resolve("policies.git");
        GitPolicyRepository repo = templateRepo(repoDir);
        return open(repoDir, repo, options);
    }

    static ServerFixture open(Path repoDir, GitPolicyRepository repo, ServerOptions options) {
        GavelServer server = new GavelServer(repo, AUTH, options).start();
        return new ServerFixture(repoDir, repo, server);
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    record Resp(int status, HttpResponse<byte[]> raw) {
        String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return raw.body().length == 0 ? MissingNode.getInstance() : Json.MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        String contentType() {
            return header("Content-Type").orElse("");
        }
    }

    Resp get(String path, String token) {
        return send("GET", path, token, null);
    }

    Resp send(String method, String path, String token, String body, String... headers) {
        return sendBytes(method, path, token, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Resp sendBytes(String method, String path, String token, byte[] body, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Resp(r.statusCode(), r);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls until the condition holds (bounded): for what the server does in the background. */
    static boolean eventually(Duration limit, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.close();
        repository.close();
    }
}
