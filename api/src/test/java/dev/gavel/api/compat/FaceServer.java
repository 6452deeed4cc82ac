package dev.gavel.api.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.auth.Role;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A real server over a real bare Git repository (the template) with a real SQLite evaluation log, for
 * the faces' end-to-end tests. Every answer under a face's base is checked against that face's own
 * {@code openapi.json} (request and response) with swagger-request-validator.
 */
public final class FaceServer implements AutoCloseable {
    public static final Map<String, Principal> TOKENS = Map.of(
            "acme-runtime", new Principal("acme-runtime", Role.READER, Optional.of(Set.of("acme"))),
            "acme-member", new Principal("Mia Member", Role.EDITOR, Optional.of(Set.of("acme"))),
            "acme-owner", new Principal("Olga Owner", Role.ADMIN, Optional.of(Set.of("acme"))),
            "globex-owner", new Principal("Gus Globex", Role.ADMIN, Optional.of(Set.of("globex"))),
            "root", new Principal("root", Role.ADMIN, Optional.empty()));

    static final Authenticator AUTH = header -> header == null || !header.startsWith("Bearer ")
            ? Optional.empty()
            : Optional.ofNullable(TOKENS.get(header.substring("Bearer ".length())));

    public final GitPolicyRepository repository;
    public final GavelServer server;
    public final Path logFile;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, OpenApiInteractionValidator> validators = new HashMap<>();
    public final Set<String> validatedOperations = new LinkedHashSet<>();

    private FaceServer(GitPolicyRepository repository, GavelServer server, Path logFile) {
        this.repository = repository;
        this.server = server;
        this.logFile = logFile;
    }

    public static FaceServer start(Path dir) throws IOException {
        GitPolicyRepository repo = GitPolicyRepository.initFromFiles(
                dir.resolve("policies.git"),
                RepositoryTemplate.files(),
                true,
                "main",
                new Author("Tester", "tester@example.com"),
                "Template policies");
        Path log = dir.resolve("evaluations.db");
        ServerOptions options = ServerOptions.defaults().withPort(0).withPoll(Duration.ofMillis(100));
        GavelServer server = new GavelServer(repo, AUTH, options, EvaluationSettings.of(LogSettings.defaults(log)))
                .withFaces(s -> java.util.List.of(
                        dev.gavel.api.compat.workspace.WorkspaceFace.of(s),
                        dev.gavel.api.compat.cpod.CpodFace.of(s),
                        dev.gavel.api.compat.blaxel.BlaxelFace.of(s),
                        dev.gavel.api.compat.znyx.ZnyxFace.of(s)))
                .start();
        return new FaceServer(repo, server, log);
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Validate answers under {@code faceBase} against the face's document from now on. */
    public void contract(String faceBase) {
        Resp doc = send("GET", faceBase + "/openapi.json", null, null, Map.of());
        assertThat(doc.status()).isEqualTo(200);
        validators.put(
                faceBase,
                OpenApiInteractionValidator.createForInlineApiSpecification(doc.text())
                        .build());
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
    }

    public Resp get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    public Resp send(String method, String path, String token, Object body, Map<String, String> headers) {
        String text = body == null
                ? null
                : body instanceof String s ? s : new String(Json.bytes(body), StandardCharsets.UTF_8);
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        if (text != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Resp resp = new Resp(r.statusCode(), r.body(), r);
        validators.forEach((faceBase, v) -> {
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            if (bare.startsWith(faceBase + "/") && !bare.endsWith("/openapi.json")) {
                check(v, method, path, token, text, headers, resp);
                validatedOperations.add(method + " " + bare + " " + resp.status());
            }
        });
        return resp;
    }

    private static void check(
            OpenApiInteractionValidator v,
            String method,
            String path,
            String token,
            String body,
            Map<String, String> headers,
            Resp resp) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        SimpleRequest.Builder rb =
                new SimpleRequest.Builder(Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), bare);
        if (path.contains("?")) {
            for (String kv : path.substring(path.indexOf('?') + 1).split("&")) {
                String[] p = kv.split("=", 2);
                rb.withQueryParam(p[0], p.length > 1 ? p[1] : "");
            }
        }
        if (token != null) {
            rb.withHeader("Authorization", "Bearer " + token);
        }
        headers.forEach(rb::withHeader);
        if (body != null) {
            rb.withContentType("application/json").withBody(body);
        }
        SimpleResponse.Builder sb = SimpleResponse.Builder.status(resp.status());
        resp.raw().headers().firstValue("Content-Type").ifPresent(sb::withContentType);
        if (resp.body().length > 0) {
            sb.withBody(resp.text());
        }
        // A request the test sends wrong on purpose is refused: then only the answer is checked.
        ValidationReport report = resp.status() >= 400 && resp.status() < 500
                ? v.validateResponse(bare, Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), sb.build())
                : v.validate(rb.build(), sb.build());
        assertThat(report.getMessages())
                .as("%s %s -> %d %s against the face's openapi.json", method, path, resp.status(), resp.text())
                .isEmpty();
    }

    /** Writes every queued evaluation so a read sees it. */
    public void flushLog() {
        server.evaluations().log().flush();
    }

    @Override
    public void close() {
        server.close();
        repository.close();
    }
}
