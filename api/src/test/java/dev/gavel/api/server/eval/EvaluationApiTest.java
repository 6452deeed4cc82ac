package dev.gavel.api.server.eval;

import static dev.gavel.api.server.eval.Requests.allowed;
import static dev.gavel.api.server.eval.Requests.outsideEu;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.Json;
import dev.gavel.store.log.LogSettings;
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

/** The evaluate API through the real server: each decision path, the 422s, visibility, batch, the log's reads. */
class EvaluationApiTest {
    @TempDir
    static Path dir;

    static EvalServer s;

    @BeforeAll
    static void start() throws Exception {
        s = EvalServer.start(
                EvalServer.templateRepo(dir),
                LogSettings.defaults(dir.resolve("evaluations.db"))
                        // A slow disk: rows land well after the answer, so a test that reads before flushing fails
                        // every time.
                        .withWriterDelay(java.time.Duration.ofMillis(40)));
        // An audit policy for the audit path: it denies deletes in globex, and never changes a decision.
        assertThat(s.putPolicy("globex", "deletes-audited", """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: deletes-audited}
        spec:
          type: custom
          enforcement: audit
          rules:
            - name: no-delete
              when: action == "delete"
              effect: deny
              message: deletes are watched
        """).status()).isIn(200, 201);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static JsonNode evaluate(ObjectNode body, String token, int status) {
        EvalServer.Resp r = s.post("/api/v1/evaluate", token, body);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        return r.json();
    }

    @Test
    @DisplayName("allow: no rule matches; the answer names the served commit and the request is logged with it")
    void allow() {
        JsonNode a = evaluate(allowed("acme.chat.support-bot.prod"), "reader", 200);
        assertThat(a.path("decision").asText()).isEqualTo("allow");
        assertThat(a.path("results")).isEmpty();
        assertThat(a.path("scope").asText()).isEqualTo("acme.chat.support-bot.prod");
        assertThat(a.path("commit").asText())
                .isEqualTo(s.server.snapshots().current().get().commit());
        assertThat(a.path("durationMicros").asLong()).isNotNegative();
        JsonNode logged = find(a.path("id").asText());
        assertThat(logged.path("decision").asText()).isEqualTo("allow");
        assertThat(logged.path("request").path("location").path("country").asText())
                .isEqualTo("IE");
        assertThat(logged.path("tenant").asText()).isEqualTo("acme");
        assertThat(logged.path("resourceType").asText()).isEqualTo("model");
    }

    @Test
    @DisplayName("deny: a block policy's rule denies and the result names policy, scope, enforcement, rule and effect")
    void deny() {
        JsonNode a = evaluate(outsideEu("acme.chat.support-bot.prod"), "reader", 200);
        assertThat(a.path("decision").asText()).isEqualTo("deny");
        JsonNode r = a.path("results").get(0);
        assertThat(r.path("policy").asText()).isEqualTo("eu-residency");
        assertThat(r.path("definedAt").asText()).isEqualTo("");
        assertThat(r.path("enforcement").asText()).isEqualTo("block");
        assertThat(r.path("effect").asText()).isEqualTo("deny");
        assertThat(r.path("rule").asText()).isEqualTo("settings.allowed");
        assertThat(r.path("message").asText()).isNotBlank();
        assertThat(find(a.path("id").asText())
                        .path("results")
                        .get(0)
                        .path("policy")
                        .asText())
                .isEqualTo("eu-residency");
    }

    @Test
    @DisplayName("warn: a warn rule matches and the decision is warn")
    void warn() {
        ObjectNode req = allowed("acme.chat.support-bot.prod");
        ((ObjectNode) req.get("resource")).putObject("labels").put("stage", "experimental");
        JsonNode a = evaluate(req, "reader", 200);
        assertThat(a.path("decision").asText()).isEqualTo("warn");
        assertThat(a.path("results").get(0).path("policy").asText()).isEqualTo("agent-guardrails");
        assertThat(a.path("results").get(0).path("effect").asText()).isEqualTo("warn");
    }

    @Test
    @DisplayName("audit: an audit policy's deny is reported and logged but the decision stays allow")
    void audit() {
        ObjectNode req = allowed("globex.app");
        req.put("action", "delete");
        JsonNode a = evaluate(req, "reader", 200);
        assertThat(a.path("decision").asText()).isEqualTo("allow");
        assertThat(a.path("results")).singleElement().satisfies(r -> {
            assertThat(r.path("policy").asText()).isEqualTo("deletes-audited");
            assertThat(r.path("enforcement").asText()).isEqualTo("audit");
            assertThat(r.path("effect").asText()).isEqualTo("deny");
        });
        assertThat(find(a.path("id").asText())
                        .path("results")
                        .get(0)
                        .path("enforcement")
                        .asText())
                .isEqualTo("audit");
    }

    @Test
    @DisplayName("422 names the field: too many scope levels, a wrong type, an unknown field, no scope, missing fields")
    void unprocessable() {
        long before = s.loggedCount();
        assertProblem(s.post("/api/v1/evaluate", "reader", allowed("acme.a.b.c.d")), 422, "scope");
        ObjectNode wrongType = allowed("acme");
        ((ObjectNode) wrongType.get("tokens")).put("input", "many");
        assertProblem(s.post("/api/v1/evaluate", "reader", wrongType), 422, "tokens.input");
        ObjectNode unknown = allowed("acme");
        unknown.put("colour", "red");
        assertProblem(s.post("/api/v1/evaluate", "reader", unknown), 422, "colour");
        ObjectNode noScope = allowed("acme");
        noScope.remove("scope");
        assertProblem(s.post("/api/v1/evaluate", "reader", noScope), 422, "scope");
        ObjectNode badScope = allowed("Acme!");
        assertProblem(s.post("/api/v1/evaluate", "reader", badScope), 422, "scope");
        // The location policy cannot decide without a location: not a silent allow.
        ObjectNode noLocation = allowed("acme.chat.support-bot.prod");
        noLocation.remove("location");
        JsonNode p = assertProblem(s.post("/api/v1/evaluate", "reader", noLocation), 422, "location");
        assertThat(p.path("errors").toString()).contains("eu-residency");
        assertProblem(s.post("/api/v1/evaluate", "reader", "{not json"), 400, "body");
        assertThat(s.loggedCount()).as("nothing rejected is logged").isEqualTo(before);
    }

    @Test
    @DisplayName("a tenant-limited token evaluates in its tenants only: another tenant's scope is 404; no token is 401")
    void visibility() {
        assertProblem(s.post("/api/v1/evaluate", "globex-reader", allowed("acme.chat")), 404, null);
        assertThat(evaluate(allowed("globex.app"), "globex-reader", 200)
                        .path("decision")
                        .asText())
                .isEqualTo("allow");
        assertThat(s.post("/api/v1/evaluate", null, allowed("acme")).status()).isEqualTo(401);
    }

    @Test
    @DisplayName("batch: each request is decided and logged; one bad request rejects the whole batch naming its index")
    void batch() {
        ObjectNode body = Json.object();
        ArrayNode reqs = body.putArray("requests");
        reqs.add(allowed("acme.chat.support-bot.prod"));
        reqs.add(outsideEu("acme.chat.support-bot.prod"));
        reqs.add(allowed("globex"));
        EvalServer.Resp r = s.post("/api/v1/evaluate/batch", "reader", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode out = r.json();
        assertThat(out.path("count").asInt()).isEqualTo(3);
        assertThat(out.path("evaluations"))
                .extracting(e -> e.path("decision").asText())
                .containsExactly("allow", "deny", "allow");
        out.path("evaluations")
                .forEach(e -> assertThat(find(e.path("id").asText()).path("id").asText())
                        .isEqualTo(e.path("id").asText()));

        long before = s.loggedCount();
        ObjectNode bad = allowed("acme");
        ((ObjectNode) bad.get("tokens")).put("output", -1);
        reqs.insert(1, bad);
        assertProblem(s.post("/api/v1/evaluate/batch", "reader", body), 422, "requests[1].tokens.output");
        ArrayNode tooMany = Json.MAPPER.createArrayNode();
        for (int i = 0; i <= EvaluateRoutes.MAX_BATCH; i++) {
            tooMany.add(allowed("acme"));
        }
        assertProblem(s.post("/api/v1/evaluate/batch", "reader", tooMany), 422, "body");
        assertThat(s.loggedCount()).isEqualTo(before);
    }

    @Test
    @DisplayName("a policy's evaluations by page: total, pageSize clamped to 100, the last page and past the end")
    void policyPages() {
        // A policy of its own so that other tests' evaluations do not count.
        assertThat(s.putPolicy("initech", "no-jobs", """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: no-jobs}
        spec:
          type: custom
          enforcement: block
          rules:
            - {name: no-job, when: 'action == "run-job"', effect: deny, message: no jobs here}
        """).status()).isIn(200, 201);
        ObjectNode body = Json.object();
        ArrayNode reqs = body.putArray("requests");
        for (int i = 0; i < 105; i++) {
            ObjectNode q = allowed("initech.app");
            q.put("action", "run-job");
            q.putObject("attributes").put("i", i);
            reqs.add(q);
        }
        assertThat(s.post("/api/v1/evaluate/batch", "reader", body).status()).isEqualTo(200);
        // Batch durability: rows land within one batch interval, after the answer; wait for them.
        s.server.evaluations().log().flush();
        String base = "/api/v1/scopes/initech/policies/no-jobs/evaluations";
        JsonNode p1 = s.get(base + "?page=1&pageSize=500", "reader").json();
        assertThat(p1.path("total").asLong()).isEqualTo(105);
        assertThat(p1.path("pageSize").asInt()).isEqualTo(100);
        assertThat(p1.path("evaluations")).hasSize(100);
        JsonNode first = p1.path("evaluations").get(0);
        assertThat(first.path("context")
                        .path("request")
                        .path("attributes")
                        .path("i")
                        .asInt())
                .isEqualTo(104);
        assertThat(first.path("result").path("effect").asText()).isEqualTo("deny");
        assertThat(first.path("result").path("rule").asText()).isEqualTo("no-job");
        assertThat(first.path("timestamp").asText()).isNotBlank();
        JsonNode p2 = s.get(base + "?page=2&pageSize=100", "reader").json();
        assertThat(p2.path("evaluations")).hasSize(5);
        assertThat(p2.path("evaluations")
                        .get(4)
                        .path("context")
                        .path("request")
                        .path("attributes")
                        .path("i")
                        .asInt())
                .isZero();
        assertThat(s.get(base + "?page=3&pageSize=100", "reader").json().path("evaluations"))
                .isEmpty();
        assertThat(s.get(base, "reader").json().path("pageSize").asInt()).isEqualTo(50);
        assertProblem(s.get(base + "?pageSize=0", "reader"), 400, "pageSize");
        assertProblem(s.get(base + "?page=0", "reader"), 400, "page");
        assertProblem(s.get("/api/v1/scopes/acme/policies/no-jobs/evaluations", "globex-reader"), 404, null);

        // The policy's responses carry its usage.
        JsonNode got =
                s.get("/api/v1/scopes/initech/policies/no-jobs", "reader").json();
        assertThat(got.path("usage").path("last24h").path("evaluations").asLong())
                .isEqualTo(105);
        assertThat(got.path("usage").path("last7d").path("denies").asLong()).isEqualTo(105);
        assertThat(got.path("circuitBreaker").path("state").asText()).isEqualTo("closed");
        JsonNode list = s.get("/api/v1/policies?scope=initech", "reader").json();
        assertThat(list.path("data")
                        .get(0)
                        .path("usage")
                        .path("last24h")
                        .path("denies")
                        .asLong())
                .isEqualTo(105);
    }

    @Test
    @DisplayName(
            "GET /evaluations: cursor pages cover each row once; filters by decision, scope prefix, policy, tenant")
    void listAndFilters() {
        for (int i = 0; i < 3; i++) {
            evaluate(outsideEu("umbrella.lab"), "reader", 200);
            evaluate(allowed("umbrella.lab.x"), "reader", 200);
        }
        s.server.evaluations().log().flush();
        Set<String> ids = new HashSet<>();
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = s.get(
                            "/api/v1/evaluations?scopePrefix=umbrella&limit=2"
                                    + (cursor == null ? "" : "&cursor=" + cursor),
                            "reader")
                    .json();
            assertThat(page.path("data").size()).isLessThanOrEqualTo(2);
            page.path("data").forEach(d -> {
                assertThat(ids.add(d.path("id").asText())).isTrue();
                rows.add(d);
            });
            cursor = page.path("meta").path("hasMore").asBoolean()
                    ? page.path("meta").path("nextCursor").asText()
                    : null;
            pages++;
        } while (cursor != null);
        assertThat(rows).hasSize(6);
        assertThat(pages).isEqualTo(3);
        assertThat(rows)
                .extracting(d -> d.path("id").asText())
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(s.get("/api/v1/evaluations?scope=umbrella.lab&decision=deny", "reader")
                        .json()
                        .path("data"))
                .hasSize(3)
                .allSatisfy(d -> assertThat(d.path("decision").asText()).isEqualTo("deny"));
        assertThat(s.get("/api/v1/evaluations?scopePrefix=umbrella&policy=eu-residency", "reader")
                        .json()
                        .path("data"))
                .hasSize(3);
        assertThat(s.get("/api/v1/evaluations?scopePrefix=umbrella", "globex-reader")
                        .status())
                .isEqualTo(404);
        assertThat(s.get("/api/v1/evaluations?limit=200", "globex-reader")
                        .json()
                        .path("data"))
                .allSatisfy(d -> assertThat(d.path("tenant").asText()).isEqualTo("globex"));
        assertProblem(s.get("/api/v1/evaluations?decision=maybe", "reader"), 400, "decision");
        assertProblem(s.get("/api/v1/evaluations?since=yesterday", "reader"), 400, "since");
        // Far-off instants are valid filters (nothing that late, everything since then), not a 500.
        EvalServer.Resp late = s.get("/api/v1/evaluations?since=2999-01-01T00:00:00Z", "reader");
        assertThat(late.status()).as(late.text()).isEqualTo(200);
        assertThat(late.json().path("data")).isEmpty();
        EvalServer.Resp ever = s.get(
                "/api/v1/evaluations?since=-999999999-01-01T00:00:00Z" + "&until=%2B999999999-12-31T23:59:59Z&limit=1",
                "reader");
        assertThat(ever.status()).as(ever.text()).isEqualTo(200);
        assertThat(ever.json().path("data")).hasSize(1);
        assertProblem(s.get("/api/v1/evaluations?cursor=%21%21", "reader"), 400, "cursor");
    }

    @Test
    @DisplayName("GET /evaluations/{id}: the logged evaluation with request, matches and commit; 404 outside "
            + "the caller's tenants and for an unknown id; 400 for a malformed id")
    void oneById() {
        JsonNode denied = evaluate(outsideEu("umbrella.lab"), "reader", 200);
        JsonNode globex = evaluate(allowed("globex"), "reader", 200);
        s.server.evaluations().log().flush();
        String id = denied.path("id").asText();

        EvalServer.Resp r = s.get("/api/v1/evaluations/" + id, "reader");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode e = r.json();
        assertThat(e.path("id").asText()).isEqualTo(id);
        assertThat(e.path("decision").asText())
                .isEqualTo(denied.path("decision").asText());
        assertThat(e.path("commit").asText()).isEqualTo(denied.path("commit").asText());
        assertThat(e.path("scope").asText()).isEqualTo("umbrella.lab");
        assertThat(e.path("request").path("scope").asText()).isEqualTo("umbrella.lab");
        assertThat(e.path("results")).extracting(m -> m.path("policy").asText()).contains("eu-residency");
        // the same row as the list shows
        JsonNode listed = null;
        for (JsonNode d : s.get("/api/v1/evaluations?scope=umbrella.lab&limit=200", "reader")
                .json()
                .path("data")) {
            if (d.path("id").asText().equals(id)) {
                listed = d;
            }
        }
        assertThat(e).isEqualTo(listed);

        // another tenant's evaluation does not exist for a tenant-limited key; its own does
        assertProblem(s.get("/api/v1/evaluations/" + id, "globex-reader"), 404, null);
        EvalServer.Resp own = s.get("/api/v1/evaluations/" + globex.path("id").asText(), "globex-reader");
        assertThat(own.status()).as(own.text()).isEqualTo(200);
        assertProblem(s.get("/api/v1/evaluations/00000000-0000-7000-8000-000000000000", "reader"), 404, null);
        assertProblem(s.get("/api/v1/evaluations/not-an-id", "reader"), 400, "id");
        assertProblem(s.get("/api/v1/evaluations/" + id.toUpperCase(java.util.Locale.ROOT), "reader"), 400, "id");
        assertThat(s.get("/api/v1/evaluations/" + id, null).status()).isEqualTo(401);
    }

    @Test
    @DisplayName(
            "metrics: evaluations by decision, latency histogram, log queue, write latency, back-pressure, commit age")
    void metrics() {
        evaluate(allowed("acme"), "reader", 200);
        String text = s.get("/metrics", null).text();
        assertThat(text)
                .contains(
                        "gavel_evaluations_total{decision=\"allow\"}",
                        "gavel_evaluation_latency_seconds_bucket",
                        "gavel_evaluation_log_queue_depth",
                        "gavel_evaluation_log_write_seconds_count",
                        "gavel_evaluation_log_backpressure_waits_total",
                        "gavel_served_commit_age_seconds",
                        "gavel_snapshot_reloads_total");
    }

    private static JsonNode find(String id) {
        // The log is written in the background: a fresh row shows up within a batch.
        for (int i = 0; i < 100; i++) {
            JsonNode page = s.get("/api/v1/evaluations?limit=200", "reader").json();
            for (JsonNode d : page.path("data")) {
                if (d.path("id").asText().equals(id)) {
                    return d;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("evaluation " + id + " not in the log");
    }

    static JsonNode assertProblem(EvalServer.Resp r, int status, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        JsonNode p = r.json();
        assertThat(p.path("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(p.path("errors"))
                    .as(r.text())
                    .anySatisfy(e -> assertThat(e.path("field").asText()).isEqualTo(field));
        }
        return p;
    }
}
