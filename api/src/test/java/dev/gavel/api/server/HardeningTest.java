package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.server.ServerFixture.Resp;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.ChangeSet;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Defects found by trying the server as an attacker and an operator would (issue 10), one test each. */
class HardeningTest {
    @TempDir
    static Path dir;

    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static String evaluation(String resource, String tokens) {
        return "{\"scope\":\"acme.chat.support-bot.prod\",\"resource\":" + resource + ",\"action\":\"deploy\","
                + "\"location\":{\"name\":\"eu-west-1\",\"country\":\"IE\",\"continent\":\"EU\"},"
                + "\"flavor\":{\"name\":\"h100\",\"type\":\"gpu\"},\"tokens\":" + tokens + "}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"Model", "MODEL", "modle", "model ", ""})
    @DisplayName("an unknown resource.type is a 422 naming the field and the allowed values, not an allow")
    void unknownResourceTypeIsRefused(String type) {
        Resp r = f.send(
                "POST",
                "/api/v1/evaluate",
                "reader",
                evaluation("{\"type\":\"" + type + "\",\"name\":\"gpt-x\"}", "{\"input\":10,\"output\":10}"));
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("resource.type");
        assertThat(r.json().at("/errors/0/message").asText()).contains("model, function, agent, sandbox, job");
    }

    @Test
    @DisplayName("a tokens.total below input + output is refused instead of lifting the total limit")
    void inconsistentTotalIsRefused() {
        Resp r = f.send(
                "POST",
                "/api/v1/evaluate",
                "reader",
                evaluation(
                        "{\"type\":\"model\",\"name\":\"gpt-x\"}", "{\"input\":90000,\"output\":15000,\"total\":1}"));
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("tokens.total");
        Resp without = f.send(
                "POST",
                "/api/v1/evaluate",
                "reader",
                evaluation("{\"type\":\"model\",\"name\":\"gpt-x\"}", "{\"input\":90000,\"output\":15000}"));
        assertThat(without.status()).as(without.text()).isEqualTo(200);
        assertThat(without.json().path("decision").asText()).isEqualTo("deny");
    }

    @Test
    @DisplayName("a tenant-limited caller learns nothing of other tenants' commits: messages, parents, counts")
    void commitsAcrossTenants() {
        String secret = "Globex acquisition plan";
        f.repository.commit(
                ChangeSet.put("policies/globex/secret-a.yaml", policy("secret-a")),
                new Author("T", "t@example.com"),
                secret + " (globex only)");
        f.repository.commit(
                ChangeSet.builder()
                        .put("policies/globex/secret-b.yaml", policy("secret-b"))
                        .put("policies/acme/shared-c.yaml", policy("shared-c"))
                        .build(),
                new Author("T", "t@example.com"),
                secret + " (both)");
        String mixed = f.repository.head().orElseThrow();

        JsonNode page = f.get("/api/v1/commits?limit=5", "acme-editor").json();
        assertThat(page.toString()).doesNotContain(secret).doesNotContain("globex");
        assertThat(page.at("/data/0/commit").asText()).isEqualTo(mixed);
        assertThat(page.at("/data/0/parents").size()).isZero();
        assertThat(page.at("/meta/total").isNull()).isTrue();
        for (JsonNode c : page.path("data")) {
            assertThat(c.path("changes").size()).isPositive();
        }
        // Pages walk the visible commits only: the next cursor is a commit the caller saw.
        JsonNode one = f.get("/api/v1/commits?limit=1", "acme-editor").json();
        assertThat(one.at("/meta/nextCursor").asText()).isEqualTo(mixed);
        Resp detail = f.get("/api/v1/commits/" + mixed, "acme-editor");
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.text()).doesNotContain(secret).doesNotContain("globex");
        // An unlimited caller sees everything.
        assertThat(f.get("/api/v1/commits/" + mixed, "reader").text())
                .contains(secret)
                .contains("globex");
        assertThat(f.get("/api/v1/scopes/acme/history", "acme-editor").text()).doesNotContain(secret);
    }

    private static byte[] policy(String name) {
        return ("apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: " + name + "\nspec:\n  type: custom\n"
                        + "  enforcement: audit\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("the impact summary counts only the policies a tenant-limited caller may see")
    void impactCountsOnlyVisiblePolicies() {
        String head = f.repository.head().orElseThrow();
        int all = f.send("POST", "/api/v1/impact", "reader", "{\"base\":\"" + head + "\"}")
                .json()
                .path("policies")
                .asInt();
        int acme = f.send("POST", "/api/v1/impact", "acme-editor", "{\"base\":\"" + head + "\"}")
                .json()
                .path("policies")
                .asInt();
        assertThat(all).isPositive();
        assertThat(acme).isPositive().isLessThan(all);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"/api/v1/policies?cursor=%%%%", "/api/v1/evaluations?cursor=%%%%", "/api/v1/policies?limit=%zz"})
    @DisplayName("an undecodable query string is a 400, not the first page")
    void undecodableCursorIsRefused(String path) throws Exception {
        String answer = raw("GET", path, "reader", new byte[0]);
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).contains("application/problem+json");
    }

    @Test
    @DisplayName("a scope deeper than the repository's levels is refused on reads as on writes")
    void deepScopeReadsAreRefused() {
        for (String path : new String[] {
            "/api/v1/scopes/a.b.c.d.e.f/resolved",
            "/api/v1/scopes/a.b.c.d.e/policies",
            "/api/v1/scopes/a.b.c.d.e/history"
        }) {
            Resp r = f.get(path, "reader");
            assertThat(r.status()).as(path + ": " + r.text()).isEqualTo(422);
            assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("scope");
        }
        assertThat(f.get("/api/v1/scopes/a.b.c.d/resolved", "reader").status()).isEqualTo(200);
    }

    @Test
    @DisplayName("X-Gavel-Message is read as UTF-8 and kept so in the commit; control characters are refused")
    void commitMessageKeepsUtf8() throws Exception {
        String message = "héllo wörld ✓";
        String answer = raw(
                "POST",
                "/api/v1/scopes/acme/policies/token-limits/demote",
                "editor",
                message.getBytes(StandardCharsets.UTF_8));
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(f.get("/api/v1/commits?limit=1", "reader")
                        .json()
                        .at("/data/0/message")
                        .asText()
                        .strip())
                .isEqualTo(message);
        String bell = raw(
                "POST",
                "/api/v1/scopes/acme/policies/token-limits/promote",
                "editor",
                "ring \u0007".getBytes(StandardCharsets.UTF_8));
        assertThat(bell).startsWith("HTTP/1.1 400").contains("application/problem+json");
        assertThat(f.get("/api/v1/commits?limit=1", "reader")
                        .json()
                        .at("/data/0/message")
                        .asText()
                        .strip())
                .isEqualTo(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nul-path", "nul-header", "smuggling", "tls", "long-uri", "large-header"})
    @DisplayName("errors Jetty raises before any route runs are problem+json too")
    void jettyErrorsAreProblems(String kind) throws Exception {
        String big = "a".repeat(100_000);
        byte[] request = switch (kind) {
            case "nul-path" -> ascii("GET /api/v1/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            case "nul-header" ->
                ascii("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\nConnection: close\r\n\r\n");
            case "smuggling" ->
                ascii("POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n");
            case "tls" ->
                new byte[] {
                    0x16,
                    0x03,
                    0x01,
                    0x00,
                    (byte) 0xa5,
                    0x01,
                    0x00,
                    0x00,
                    (byte) 0xa1,
                    0x03,
                    0x03,
                    '\r',
                    '\n',
                    '\r',
                    '\n'
                };
            case "long-uri" -> ascii("GET /healthz?" + big + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            default ->
                ascii("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + big + big + "\r\nConnection: close\r\n\r\n");
        };
        String answer = send(request);
        assertThat(answer).matches("(?s)HTTP/1.1 4\\d\\d .*");
        assertThat(answer)
                .containsIgnoringCase("content-type: application/problem+json")
                .doesNotContain("<html");
    }

    @Test
    @DisplayName("a client that closes mid-body is a client error, not a 500 in the metrics")
    void clientDisconnectIsNotAServerError() throws Exception {
        double before = serverErrors();
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.getOutputStream()
                    .write(ascii("PUT /api/v1/scopes/acme/policies/cut-short HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: Bearer editor\r\nContent-Type: application/yaml\r\nContent-Length: 5000\r\n\r\n"
                            + "apiVersion: gavel/v1\nkind: Policy\n"));
            s.getOutputStream().flush();
        }
        // The next request on a new connection is answered, and no 500 was counted.
        assertThat(ServerFixture.eventually(
                        java.time.Duration.ofSeconds(5),
                        () -> f.get("/metrics", null).text().contains("status=\"400\"")))
                .isTrue();
        assertThat(serverErrors()).isEqualTo(before);
    }

    private static double serverErrors() {
        return f.get("/metrics", null)
                .text()
                .lines()
                .filter(l -> l.startsWith("gavel_http_requests") && l.contains("status=\"500\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String send(byte[] request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.setSoTimeout(10_000);
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            } catch (java.net.SocketException e) {
                // The server may answer and close before a 200 KB request is written: read its answer anyway.
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(got);
            } catch (java.net.SocketException e) {
                // a reset after the answer: keep what arrived
            }
            return got.size() == 0 ? "nothing read" : got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** A request written byte for byte, as curl sends it (java.net.URI refuses a broken escape). */
    private static String raw(String method, String path, String token, byte[] message) throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n"
                            + "Content-Length: 0\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (message.length > 0) {
                req.write("X-Gavel-Message: ".getBytes(StandardCharsets.US_ASCII));
                req.write(message);
                req.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            req.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(req.toByteArray());
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
