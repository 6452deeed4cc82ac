package dev.gavel.api.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.auth.Role;
import dev.gavel.api.compat.Face;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.GavelServer;
import dev.gavel.api.server.ServerOptions;
import dev.gavel.api.server.eval.EvaluationSettings;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A real server for the workload tests: the template repository in a real bare Git repository, the
 * evaluation log and {@code workloads.db} as real SQLite files in {@code dir/data}, real HTTP on an
 * ephemeral port.
 */
public final class WorkloadServer implements AutoCloseable {
    public static final Map<String, Principal> TOKENS = Map.of(
            "acme-runtime", new Principal("acme-agent", Role.READER, Optional.of(Set.of("acme"))),
            "acme-member", new Principal("Mia Member", Role.EDITOR, Optional.of(Set.of("acme"))),
            "acme-owner", new Principal("Olga Owner", Role.ADMIN, Optional.of(Set.of("acme"))),
            "globex-owner", new Principal("Gus Globex", Role.ADMIN, Optional.of(Set.of("globex"))),
            "globex-runtime", new Principal("globex-agent", Role.READER, Optional.of(Set.of("globex"))),
            "two-tenants", new Principal("two", Role.READER, Optional.of(Set.of("acme", "globex"))),
            "root", new Principal("root", Role.ADMIN, Optional.empty()));

    static final Authenticator AUTH = header -> header == null || !header.startsWith("Bearer ")
            ? Optional.empty()
            : Optional.ofNullable(TOKENS.get(header.substring("Bearer ".length())));

    public final GitPolicyRepository repository;
    public final GavelServer server;
    public final Path dataDir;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WorkloadServer(GitPolicyRepository repository, GavelServer server, Path dataDir) {
        this.repository = repository;
        this.server = server;
        this.dataDir = dataDir;
    }

    public static WorkloadServer start(Path dir) throws IOException {
        return start(dir, s -> List.of());
    }

    public static WorkloadServer start(Path dir, Function<GavelServer, List<Face>> faces) throws IOException {
        GitPolicyRepository repo = GitPolicyRepository.initFromFiles(
                dir.resolve("policies.git"),
                RepositoryTemplate.files(),
                true,
                "main",
                new Author("Tester", "tester@example.com"),
                "Template policies");
        Path data = dir.resolve("data");
        ServerOptions options = ServerOptions.defaults().withPort(0).withPoll(Duration.ofMillis(100));
        GavelServer server = new GavelServer(
                        repo,
                        AUTH,
                        options,
                        EvaluationSettings.of(LogSettings.defaults(data.resolve("evaluations.db"))))
                .withFaces(faces)
                .start();
        return new WorkloadServer(repo, server, data);
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    public record Resp(int status, byte[] body, HttpResponse<byte[]> raw) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return body.length == 0 ? MissingNode.getInstance() : Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }

    public Resp get(String path, String token) {
        return send("GET", path, token, null);
    }

    /** {@code body}: a String is sent as is (JSON unless it starts with "apiVersion", then YAML); else as JSON. */
    public Resp send(String method, String path, String token, Object body) {
        byte[] bytes =
                body == null ? null : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.bytes(body);
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (bytes != null) {
            b.header(
                    "Content-Type",
                    body instanceof String s && s.startsWith("apiVersion") ? "application/yaml" : "application/json");
        }
        b.method(
                method,
                bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Resp(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String head() {
        return repository.head().orElseThrow();
    }

    @Override
    public void close() {
        server.close();
        repository.close();
    }
}
