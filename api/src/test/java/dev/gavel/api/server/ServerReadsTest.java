package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.server.ServerFixture.Resp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads, auth and input errors against one real server over the template repository (nothing here writes). */
class ServerReadsTest {
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

    static void assertProblem(Resp r, int status) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("type").asText()).startsWith("https://gavel.dev/problems/");
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("detail").asText()).isNotBlank();
        assertThat(p.path("instance").asText()).startsWith("/");
        assertThat(p.path("errors").isArray()).isTrue();
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    // ---- operations and auth

    @Test
    @DisplayName("health, readiness, metrics and the document need no token; readiness names the served commit")
    void probesAreOpen() {
        assertThat(f.get("/healthz", null).status()).isEqualTo(200);
        Resp ready = f.get("/readyz", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().at("/served/commit").asText())
                .isEqualTo(f.repository.head().orElseThrow());
        assertThat(ready.json().at("/newest/compiled").asBoolean()).isTrue();
        assertThat(f.get("/metrics", null).text()).contains("gavel_http_requests");
        assertThat(f.get("/openapi.json", null).json().path("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    @DisplayName("every /api/v1 route without a valid token answers 401 problem with a Bearer challenge")
    void noTokenIs401() {
        for (String path :
                List.of("/api/v1/status", "/api/v1/policies", "/api/v1/commits", "/api/v1/scopes/_/policies")) {
            Resp r = f.get(path, null);
            assertProblem(r, 401);
            assertThat(r.header("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertProblem(f.get(path, "not-a-token"), 401);
        }
    }

    @Test
    @DisplayName("a role below the route's answers 403 and writes nothing")
    void wrongRoleIs403() {
        String head = f.repository.head().orElseThrow();
        assertProblem(f.send("PUT", "/api/v1/scopes/acme/policies/token-limits", "reader", "x"), 403);
        assertProblem(f.send("DELETE", "/api/v1/scopes/acme/policies/token-limits", "editor", null), 403);
        assertProblem(f.send("POST", "/api/v1/pause-all", "editor", null), 403);
        assertProblem(f.send("POST", "/api/v1/scopes/acme/rollback/1", "editor", null), 403);
        assertProblem(f.send("POST", "/api/v1/commits/" + head + "/revert", "reader", null), 403);
        assertProblem(f.send("PUT", "/api/v1/scopes/_/policies/token-limits", "acme-editor", "x"), 403);
        // A rule that does not parse is invalid with or without ?scope= (issue 11: it said valid without one).
        String badRule = "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: x2\nspec:\n  type: custom\n"
                + "  enforcement: warn\n  rules:\n    - name: r\n      when: action ==\n      effect: deny\n      message: m\n";
        JsonNode unscoped =
                f.send("POST", "/api/v1/validate", "reader", badRule).json();
        assertThat(unscoped.path("valid").asBoolean()).as(unscoped.toString()).isFalse();
        assertThat(unscoped.at("/diagnostics/0/line").asInt()).isEqualTo(10);
        assertThat(f.repository.head()).contains(head);
    }

    @Test
    @DisplayName("unknown routes are 404 problems, wrong methods 405 problems")
    void unknownRoutes() {
        assertProblem(f.get("/api/v1/nothing-here", "reader"), 404);
        assertProblem(f.get("/nothing", null), 404);
        assertProblem(f.send("DELETE", "/readyz", null, null), 405);
    }

    @Test
    @DisplayName("bodies over 1 MiB are refused with 413, whether or not Content-Length says so")
    void tooLarge() {
        byte[] big = new byte[(1 << 20) + 10];
        java.util.Arrays.fill(big, (byte) 'a');
        assertProblem(f.sendBytes("POST", "/api/v1/validate", "reader", big), 413);
        // Chunked: no Content-Length, the server counts what it reads.
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.base() + "/api/v1/validate"))
                .header("Authorization", "Bearer reader")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big)))
                .build();
        try {
            var r = f.http.send(req, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("invalid names in path parameters are 400 with the field named")
    void invalidPathParams() {
        Resp r = f.get("/api/v1/scopes/Acme/policies", "reader");
        assertProblem(r, 400);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("scope");
        Resp n = f.get("/api/v1/scopes/acme/policies/Bad_Name", "reader");
        assertProblem(n, 400);
        assertThat(n.json().at("/errors/0/field").asText()).isEqualTo("name");
        assertProblem(f.get("/api/v1/scopes/acme/policies?version=zero", "reader"), 400);
        assertProblem(f.get("/api/v1/commits/..%2F..", "reader"), 400);
    }

    // ---- list

    @Test
    @DisplayName("the list pages through every visible policy once, in order, with cursors bound to their query")
    void listPagination() {
        Resp all = f.get("/api/v1/policies?limit=200&sort=name:asc", "reader");
        int total = all.json().at("/meta/total").asInt();
        assertThat(total).isEqualTo(22);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Resp page = f.get(
                    "/api/v1/policies?limit=7&sort=name:asc" + (cursor == null ? "" : "&cursor=" + cursor), "reader");
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            page.json()
                    .path("data")
                    .forEach(p -> seen.add(
                            p.path("name").asText() + "@" + p.path("scope").asText()));
            cursor = page.json().at("/meta/hasMore").asBoolean()
                    ? page.json().at("/meta/nextCursor").asText()
                    : null;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(total).doesNotHaveDuplicates();
        assertThat(seen).isSortedAccordingTo(java.util.Comparator.comparing(s -> s.substring(0, s.indexOf('@'))));

        String next = f.get("/api/v1/policies?limit=2&sort=name:asc", "reader")
                .json()
                .at("/meta/nextCursor")
                .asText();
        assertProblem(f.get("/api/v1/policies?limit=2&sort=name:desc&cursor=" + next, "reader"), 400);
        assertProblem(f.get("/api/v1/policies?limit=2&sort=name:asc&type=sla&cursor=" + next, "reader"), 400);
        assertProblem(
                f.get(
                        "/api/v1/policies?cursor=" + next.substring(0, next.length() - 2) + "xx&sort=name:asc&limit=2",
                        "reader"),
                400);
        assertThat(f.get("/api/v1/policies?limit=5000", "reader")
                        .json()
                        .at("/meta/limit")
                        .asInt())
                .isEqualTo(200);
        assertProblem(f.get("/api/v1/policies?sort=size:asc", "reader"), 400);
    }

    @Test
    @DisplayName("list filters: type, status, scope, and q over name, displayName and labels (under 2 chars ignored)")
    void listFilters() {
        JsonNode sla = f.get("/api/v1/policies?type=sla", "reader").json();
        assertThat(sla.at("/meta/total").asInt()).isEqualTo(4);
        sla.path("data").forEach(p -> assertThat(p.path("type").asText()).isEqualTo("sla"));
        JsonNode paused = f.get("/api/v1/policies?status=paused", "reader").json();
        assertThat(paused.path("data")).extracting(p -> p.path("name").asText()).containsExactly("weekend-freeze");
        JsonNode acme = f.get("/api/v1/policies?scope=acme", "reader").json();
        acme.path("data").forEach(p -> assertThat(p.path("scope").asText()).isEqualTo("acme"));
        assertThat(acme.at("/meta/total").asInt()).isEqualTo(2);
        JsonNode legal = f.get("/api/v1/policies?q=%20LEGAL%20", "reader").json();
        assertThat(legal.path("data")).extracting(p -> p.path("name").asText()).contains("no-sanctioned-regions");
        assertThat(f.get("/api/v1/policies?q=l", "reader")
                        .json()
                        .at("/meta/total")
                        .asInt())
                .isEqualTo(22);
        JsonNode first = f.get("/api/v1/policies?limit=1", "reader").json().at("/data/0");
        assertThat(first.path("createdBy").path("name").asText()).isEqualTo("Tester");
        assertThat(first.path("updatedAt").asText()).isNotBlank();
        assertProblem(f.get("/api/v1/policies?type=nope", "reader"), 400);
    }

    // ---- raw, resolved

    @Test
    @DisplayName("a raw policy carries the file's bytes, its Git blob id as ETag, and the commit it was read at")
    void rawPolicy() {
        Resp r = f.get("/api/v1/scopes/acme/policies/token-limits", "reader");
        assertThat(r.status()).isEqualTo(200);
        String source = r.json().path("source").asText();
        assertThat(r.header("ETag")).contains(PolicyJson.etag(source.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.json().path("commit").asText())
                .isEqualTo(f.repository.head().orElseThrow());
        assertThat(r.json().at("/policy/spec/settings/total").asInt()).isEqualTo(50000);
        Resp yaml = f.send(
                "GET", "/api/v1/scopes/acme/policies/token-limits", "reader", null, "Accept", "application/yaml");
        assertThat(yaml.text()).isEqualTo(source);
        assertProblem(f.get("/api/v1/scopes/acme/policies/no-such-policy", "reader"), 404);
    }

    @Test
    @DisplayName("a scope's raw policies at head, at version 1 and at a commit")
    void scopePolicies() {
        JsonNode global = f.get("/api/v1/scopes/_/policies", "reader").json();
        assertThat(global.path("data").size()).isEqualTo(9);
        global.path("data").forEach(p -> assertThat(p.path("scope").asText()).isEmpty());
        JsonNode v1 = f.get("/api/v1/scopes/acme/policies?version=1", "reader").json();
        assertThat(v1.path("version").asInt()).isEqualTo(1);
        assertThat(v1.path("data"))
                .extracting(p -> p.path("name").asText())
                .containsExactlyInAnyOrder("token-limits", "model-card-standard");
        // a past version carries its files' stamps as of that version, like a read at head
        v1.path("data").forEach(p -> {
            assertThat(p.path("createdAt").asText())
                    .as("createdAt at version 1")
                    .isNotEmpty();
            assertThat(p.path("updatedAt").asText()).isNotEmpty();
            assertThat(p.path("createdBy").path("name").asText()).isNotEmpty();
        });
        JsonNode one = f.get("/api/v1/scopes/acme/policies/token-limits?version=1", "reader")
                .json();
        assertThat(one.path("updatedBy").path("name").asText())
                .as("updatedBy on ?version=N")
                .isNotEmpty();
        String head = f.repository.head().orElseThrow();
        assertThat(f.get("/api/v1/scopes/acme/policies?at=" + head, "reader")
                        .json()
                        .path("commit")
                        .asText())
                .isEqualTo(head);
        assertProblem(f.get("/api/v1/scopes/acme/policies?version=99", "reader"), 404);
        assertProblem(f.get("/api/v1/scopes/acme/policies?at=0123456789abcdef0123456789abcdef01234567", "reader"), 404);
    }

    @Test
    @DisplayName("the resolved set names each policy's layers, global first, and where each field came from")
    void resolved() {
        JsonNode r = f.get("/api/v1/scopes/acme.chat.support-bot.prod/resolved", "reader")
                .json();
        JsonNode tokens = null;
        for (JsonNode p : r.path("data")) {
            if (p.path("name").asText().equals("token-limits")) {
                tokens = p;
            }
        }
        assertThat(tokens).isNotNull();
        assertThat(tokens.path("layers"))
                .extracting(l -> l.path("scope").asText())
                .containsExactly("", "acme", "acme.chat", "acme.chat.support-bot", "acme.chat.support-bot.prod");
        assertThat(tokens.path("definedAt").asText()).isEqualTo("acme.chat.support-bot.prod");
        assertThat(tokens.at("/policy/spec/settings/total").asInt()).isEqualTo(5000);
        assertThat(tokens.path("provenance").path("spec.settings.total").asText())
                .isEqualTo("acme.chat.support-bot.prod");
        assertThat(r.path("commit").asText()).isEqualTo(f.repository.head().orElseThrow());
        assertThat(f.get("/api/v1/scopes/acme/resolved?version=1", "reader").status())
                .isEqualTo(200);
    }

    // ---- history

    @Test
    @DisplayName("history of a scope and a policy, the commit list and one commit with its diff")
    void history() {
        JsonNode scope = f.get("/api/v1/scopes/acme/history", "reader").json();
        assertThat(scope.path("data").get(0).path("version").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(scope.path("data").get(0).path("author").path("name").asText())
                .isNotBlank();
        JsonNode policy = f.get("/api/v1/scopes/acme/policies/token-limits/history", "reader")
                .json();
        assertThat(policy.path("data")
                        .get(0)
                        .path("changes")
                        .get(0)
                        .path("path")
                        .asText())
                .isEqualTo("policies/acme/token-limits.yaml");
        assertProblem(f.get("/api/v1/scopes/acme/policies/never-existed/history", "reader"), 404);
        JsonNode commits = f.get("/api/v1/commits?limit=1", "reader").json();
        String id = commits.at("/data/0/commit").asText();
        assertThat(commits.at("/meta/total").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode one = f.get("/api/v1/commits/" + id, "reader").json();
        assertThat(one.path("files").size()).isGreaterThan(0);
        assertThat(one.at("/files/0/diff").asText()).contains("@@");
        assertProblem(f.get("/api/v1/commits/0123456789abcdef0123456789abcdef01234567", "reader"), 404);
        assertProblem(f.get("/api/v1/commits?cursor=0123456789abcdef0123456789abcdef01234567", "reader"), 400);
    }

    // ---- authoring

    @Test
    @DisplayName("templates give one parsable example per built-in type")
    void templates() {
        JsonNode t = f.get("/api/v1/templates", "reader").json().path("data");
        Set<String> types = new HashSet<>();
        t.forEach(x -> types.add(x.path("type").asText()));
        assertThat(types)
                .containsExactlyInAnyOrder("location", "flavor", "maxTokens", "heartbeat", "sla", "document", "custom");
        t.forEach(x -> {
            Resp v = f.send(
                    "POST",
                    "/api/v1/validate",
                    "reader",
                    x.path("source").asText(),
                    "Content-Type",
                    "application/yaml");
            assertThat(v.json().path("valid").asBoolean()).as(v.text()).isTrue();
        });
    }

    @Test
    @DisplayName("validate reports positioned diagnostics for a document and for conditions alone, and commits nothing")
    void validate() {
        String head = f.repository.head().orElseThrow();
        String bad =
                "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: x1\nspec:\n  type: custom\n  enforcement: blok\n";
        JsonNode r = f.send("POST", "/api/v1/validate", "reader", bad).json();
        assertThat(r.path("valid").asBoolean()).isFalse();
        assertThat(r.path("diagnostics")).anySatisfy(d -> {
            assertThat(d.path("field").asText()).isEqualTo("spec.enforcement");
            assertThat(d.path("line").asInt()).isEqualTo(7);
            assertThat(d.path("column").asInt()).isEqualTo(16);
        });
        JsonNode c = f.send(
                        "POST",
                        "/api/v1/validate",
                        "reader",
                        "{\"conditions\": [\"action == \\\"deploy\\\"\", \"nope ==\"]}",
                        "Content-Type",
                        "application/json")
                .json();
        assertThat(c.path("valid").asBoolean()).isFalse();
        assertThat(c.path("diagnostics"))
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.path("field").asText()).isEqualTo("conditions[1]"));
        assertThat(c.at("/diagnostics/0/column").asInt()).isEqualTo(1);
        // A document that is fine alone but overrides a locked global policy fails at a scope.
        String override = "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: no-sanctioned-regions\nspec:\n"
                + "  type: custom\n  enforcement: warn\n  rules:\n    - name: sanctioned-country\n      when: action == \"x\"\n"
                + "      effect: deny\n      message: m\n";
        assertThat(f.send("POST", "/api/v1/validate", "reader", override)
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();
        assertThat(f.send("POST", "/api/v1/validate?scope=acme", "reader", override)
                        .json()
                        .path("valid")
                        .asBoolean())
                .isFalse();
        assertThat(f.repository.head()).contains(head);
    }

    // ---- tenants

    @Test
    @DisplayName("a tenant-limited token sees global and its tenant's policies; another tenant's scope is 404")
    void tenantIsolation() {
        JsonNode list = f.get("/api/v1/policies?limit=200", "globex-reader").json();
        list.path("data").forEach(p -> assertThat(p.path("scope").asText()).matches("|globex(\\..*)?"));
        assertThat(list.path("data")).extracting(p -> p.path("scope").asText()).contains("", "globex");
        assertProblem(f.get("/api/v1/scopes/acme/policies", "globex-reader"), 404);
        assertProblem(f.get("/api/v1/scopes/acme/policies/token-limits", "globex-reader"), 404);
        assertProblem(f.get("/api/v1/scopes/acme.chat/resolved", "globex-reader"), 404);
        assertProblem(f.get("/api/v1/scopes/acme/history", "globex-reader"), 404);
        assertThat(f.get("/api/v1/scopes/globex/resolved", "globex-reader").status())
                .isEqualTo(200);
        assertThat(f.get("/api/v1/scopes/_/policies", "globex-reader").status()).isEqualTo(200);
        JsonNode commits = f.get("/api/v1/commits", "globex-reader").json();
        commits.path("data")
                .forEach(c -> c.path("changes")
                        .forEach(ch -> assertThat(ch.path("path").asText()).doesNotStartWith("policies/acme/")));
        // The same query with another tenant set cannot reuse a cursor.
        String cursor = f.get("/api/v1/policies?limit=1", "reader")
                .json()
                .at("/meta/nextCursor")
                .asText();
        assertProblem(
                f.get(
                        "/api/v1/policies?limit=1&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8),
                        "globex-reader"),
                400);
    }

    @Test
    @DisplayName("without a hook secret the webhook needs a token")
    void hookNeedsTokenWithoutSecret() {
        assertProblem(f.send("POST", "/api/v1/hooks/git", null, "{}"), 401);
        Resp r = f.send("POST", "/api/v1/hooks/git", "reader", "{}");
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().path("head").asText()).isEqualTo(f.repository.head().orElseThrow());
    }
}
