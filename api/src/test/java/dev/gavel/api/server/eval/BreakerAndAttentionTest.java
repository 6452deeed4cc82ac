package dev.gavel.api.server.eval;

import static dev.gavel.api.server.eval.EvaluationApiTest.assertProblem;
import static dev.gavel.api.server.eval.Requests.allowed;
import static dev.gavel.api.server.eval.Requests.tooManyTokens;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.Json;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.log.LogSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Circuit breakers (trip, audit while open, survive a restart, reset) and the attention list. */
class BreakerAndAttentionTest {
    @TempDir
    Path dir;

    private static ObjectNode batch(List<ObjectNode> requests) {
        ObjectNode body = Json.object();
        ArrayNode a = body.putArray("requests");
        requests.forEach(a::add);
        return body;
    }

    private static List<ObjectNode> times(int n, ObjectNode request) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(request.deepCopy());
        }
        return out;
    }

    @Test
    @DisplayName(
            "a breaker trips past its deny rate, the policy then only audits, the state survives a restart until reset")
    void tripRestartReset() {
        GitPolicyRepository repo;
        LogSettings log = LogSettings.defaults(dir.resolve("evaluations.db"));
        String policy = "/api/v1/scopes/_/policies/token-limits";
        try {
            repo = EvalServer.templateRepo(dir);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        EvalServer s = EvalServer.start(repo, log);
        try {
            // token-limits (global, block): maxDenyRate 0.5, minRequests 100. 99 denials: not enough requests yet.
            JsonNode first = s.post("/api/v1/evaluate/batch", "reader", batch(times(99, tooManyTokens("initech"))))
                    .json();
            assertThat(first.path("evaluations"))
                    .allSatisfy(e -> assertThat(e.path("decision").asText()).isEqualTo("deny"));
            assertThat(s.get(policy, "reader")
                            .json()
                            .path("circuitBreaker")
                            .path("state")
                            .asText())
                    .isEqualTo("closed");
            // The 100th denial makes 100 requests at a deny rate of 1.0: it trips.
            s.post("/api/v1/evaluate", "reader", tooManyTokens("initech"));
            JsonNode got = s.get(policy, "reader").json();
            assertThat(got.path("circuitBreaker").path("state").asText()).isEqualTo("open");
            assertThat(got.path("circuitBreaker").path("configured").asBoolean())
                    .isTrue();
            assertThat(got.path("circuitBreaker").path("reason").asText()).contains("deny rate");
            assertAudited(s);
            JsonNode attention = s.get("/api/v1/attention", "reader").json();
            assertThat(attention.path("items")).anySatisfy(i -> {
                assertThat(i.path("kind").asText()).isEqualTo("circuit-breaker-open");
                assertThat(i.path("policy").asText()).isEqualTo("token-limits");
            });
            assertThat(attention.path("count").asInt())
                    .isEqualTo(attention.path("items").size());
        } finally {
            s.stop(false);
        }

        s = EvalServer.start(repo, log);
        try {
            assertThat(s.get(policy, "reader")
                            .json()
                            .path("circuitBreaker")
                            .path("state")
                            .asText())
                    .isEqualTo("open");
            assertAudited(s);
            assertThat(s.post(policy + "/reset-circuit-breaker", "reader", "").status())
                    .isEqualTo(403);
            assertThat(s.post("/api/v1/scopes/_/policies/nope/reset-circuit-breaker", "editor", "")
                            .status())
                    .isEqualTo(404);
            EvalServer.Resp reset = s.post(policy + "/reset-circuit-breaker", "editor", "");
            assertThat(reset.status()).as(reset.text()).isEqualTo(200);
            assertThat(reset.json().path("circuitBreaker").path("state").asText())
                    .isEqualTo("closed");
            JsonNode after = s.post("/api/v1/evaluate", "reader", tooManyTokens("initech"))
                    .json();
            assertThat(after.path("decision").asText()).isEqualTo("deny");
            assertThat(after.path("results").get(0).path("enforcement").asText())
                    .isEqualTo("block");
        } finally {
            s.stop(false);
        }

        s = EvalServer.start(repo, log);
        try {
            assertThat(s.get(policy, "reader")
                            .json()
                            .path("circuitBreaker")
                            .path("state")
                            .asText())
                    .as("the reset survives a restart too")
                    .isEqualTo("closed");
        } finally {
            s.close();
        }
    }

    @Test
    @DisplayName(
            "maxErrors: a policy that cannot evaluate more than maxErrors requests in its window trips; open, it no longer refuses requests")
    void errorBreaker() throws Exception {
        GitPolicyRepository repo = EvalServer.templateRepo(dir);
        try (EvalServer s = EvalServer.start(repo, LogSettings.defaults(dir.resolve("evaluations.db")))) {
            // initech's own token limits (settings merged from the global ones) tolerate two errors in five minutes.
            assertThat(s.putPolicy("initech", "token-limits", """
          apiVersion: gavel/v1
          kind: Policy
          metadata: {name: token-limits}
          spec:
            type: maxTokens
            enforcement: block
            settings: {input: 50000}
            circuitBreaker: {maxDenyRate: 0.5, window: PT5M, minRequests: 100, maxErrors: 2}
          """).status()).isIn(200, 201);
            String policy = "/api/v1/scopes/initech/policies/token-limits";
            ObjectNode noTokens = allowed("initech.app");
            noTokens.remove("tokens");

            // Two failures are within the limit: refused, the breaker stays closed.
            for (int i = 0; i < 2; i++) {
                assertProblem(s.post("/api/v1/evaluate", "reader", noTokens), 422, "tokens");
            }
            assertThat(s.get(policy, "reader")
                            .json()
                            .path("circuitBreaker")
                            .path("state")
                            .asText())
                    .isEqualTo("closed");
            // A failure inside a refused batch counts too: the third error trips it.
            List<ObjectNode> mixed = List.of(allowed("initech.app"), noTokens.deepCopy());
            assertProblem(s.post("/api/v1/evaluate/batch", "reader", batch(mixed)), 422, "requests[1].tokens");
            JsonNode got = s.get(policy, "reader").json().path("circuitBreaker");
            assertThat(got.path("state").asText()).isEqualTo("open");
            assertThat(got.path("reason").asText())
                    .contains("3 evaluation errors > maxErrors 2")
                    .contains("tokens");

            // Open: the policy only audits, so what it lacks no longer refuses the request; the answer says so.
            EvalServer.Resp r = s.post("/api/v1/evaluate", "reader", noTokens);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().path("decision").asText()).isEqualTo("allow");
            JsonNode skipped = r.json().path("notEvaluated");
            assertThat(skipped).isNotEmpty().allSatisfy(x -> {
                assertThat(x.path("policy").asText()).isEqualTo("token-limits");
                assertThat(x.path("definedAt").asText()).isEqualTo("initech");
                assertThat(x.path("enforcement").asText()).isEqualTo("audit");
                assertThat(x.path("field").asText()).startsWith("tokens");
                assertThat(x.path("circuitBreakerOpen").asBoolean()).isTrue();
            });
            // Another tenant's requests still need their tokens: the global definition's breaker is its own.
            ObjectNode elsewhere = allowed("globex.app");
            elsewhere.remove("tokens");
            assertProblem(s.post("/api/v1/evaluate", "reader", elsewhere), 422, "tokens");

            // Reset: the policy refuses again what it cannot evaluate.
            assertThat(s.post(policy + "/reset-circuit-breaker", "editor", "").status())
                    .isEqualTo(200);
            assertProblem(s.post("/api/v1/evaluate", "reader", noTokens), 422, "tokens");
        }
    }

    @Test
    @DisplayName("an audit policy that cannot evaluate a request reports it and does not refuse the request")
    void auditPolicyLackingAField() throws Exception {
        GitPolicyRepository repo = EvalServer.templateRepo(dir);
        try (EvalServer s = EvalServer.start(repo, LogSettings.defaults(dir.resolve("evaluations.db")))) {
            assertThat(s.putPolicy("initech", "token-limits", """
          apiVersion: gavel/v1
          kind: Policy
          metadata: {name: token-limits}
          spec: {type: maxTokens, enforcement: audit, settings: {input: 50000}}
          """).status()).isIn(200, 201);
            ObjectNode noTokens = allowed("initech.app");
            noTokens.remove("tokens");
            EvalServer.Resp r = s.post("/api/v1/evaluate", "reader", noTokens);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().path("notEvaluated").get(0).path("enforcement").asText())
                    .isEqualTo("audit");
            assertThat(r.json().path("notEvaluated").get(0).path("field").asText())
                    .startsWith("tokens");
        }
    }

    private static void assertAudited(EvalServer s) {
        JsonNode a =
                s.post("/api/v1/evaluate", "reader", tooManyTokens("initech")).json();
        assertThat(a.path("decision").asText()).isEqualTo("allow");
        assertThat(a.path("results")).isNotEmpty().allSatisfy(r -> {
            assertThat(r.path("policy").asText()).isEqualTo("token-limits");
            assertThat(r.path("enforcement").asText()).isEqualTo("audit");
            assertThat(r.path("circuitBreakerOpen").asBoolean()).isTrue();
        });
    }

    @Test
    @DisplayName(
            "attention lists overdue reviews, a head that does not compile, policies ready to promote and over their breaker")
    void attention() throws Exception {
        GitPolicyRepository repo = EvalServer.templateRepo(dir);
        try (EvalServer s = EvalServer.start(repo, LogSettings.defaults(dir.resolve("evaluations.db")))) {
            assertThat(s.putPolicy("globex", "old-review", """
          apiVersion: gavel/v1
          kind: Policy
          metadata: {name: old-review, reviewEvery: P30D, lastReviewed: 2020-01-01}
          spec: {type: custom, enforcement: block}
          """).status()).isIn(200, 201);
            assertThat(s.putPolicy("globex", "quiet-warn", """
          apiVersion: gavel/v1
          kind: Policy
          metadata: {name: quiet-warn}
          spec:
            type: custom
            enforcement: warn
            rules:
              - {name: never, when: 'action == "self-destruct"', effect: deny, message: no}
          """).status()).isIn(200, 201);
            assertThat(s.putPolicy("globex", "noisy-audit", """
          apiVersion: gavel/v1
          kind: Policy
          metadata: {name: noisy-audit}
          spec:
            type: custom
            enforcement: audit
            circuitBreaker: {maxDenyRate: 0.2, window: PT5M, minRequests: 5}
            rules:
              - {name: invoke, when: 'action == "invoke"', effect: deny, message: would deny}
          """).status()).isIn(200, 201);
            assertThat(s.post("/api/v1/evaluate/batch", "reader", batch(times(10, allowed("globex.app"))))
                            .status())
                    .isEqualTo(200);
            s.server.evaluations().log().flush();

            JsonNode a = s.get("/api/v1/attention", "reader").json();
            assertThat(a.path("items")).anySatisfy(i -> {
                assertThat(i.path("kind").asText()).isEqualTo("review-overdue");
                assertThat(i.path("policy").asText()).isEqualTo("old-review");
                assertThat(i.path("nextReview").asText()).isEqualTo("2020-01-31");
            });
            assertThat(a.path("items")).anySatisfy(i -> {
                assertThat(i.path("kind").asText()).isEqualTo("ready-to-promote");
                assertThat(i.path("policy").asText()).isEqualTo("quiet-warn");
                assertThat(i.path("evaluations7d").asLong()).isEqualTo(10);
            });
            assertThat(a.path("items")).anySatisfy(i -> {
                assertThat(i.path("kind").asText()).isEqualTo("denies-over-breaker-limit");
                assertThat(i.path("policy").asText()).isEqualTo("noisy-audit");
                assertThat(i.path("denies7d").asLong()).isEqualTo(10);
            });
            assertThat(a.path("items"))
                    .noneSatisfy(i -> assertThat(i.path("kind").asText()).isEqualTo("head-does-not-compile"));
            // A tenant-limited caller sees nothing of another tenant.
            assertThat(s.get("/api/v1/attention", "acme-editor").json().path("items"))
                    .noneSatisfy(i -> assertThat(i.path("scope").asText()).startsWith("globex"));

            // A commit that does not compile, pushed behind the server's back.
            repo.commit(
                    ChangeSet.put(
                            "policies/globex/broken.yaml",
                            "apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: broken}\nspec: {type: nope}\n"
                                    .getBytes(StandardCharsets.UTF_8)),
                    new Author("T", "t@example.com"),
                    "break it");
            boolean shown = false;
            for (int i = 0; i < 200 && !shown; i++) {
                shown = s.get("/api/v1/attention", "reader")
                        .json()
                        .path("items")
                        .toString()
                        .contains("head-does-not-compile");
                if (!shown) {
                    Thread.sleep(50);
                }
            }
            assertThat(shown).isTrue();
            JsonNode broken = s.get("/api/v1/attention", "reader").json();
            assertThat(broken.path("items")).anySatisfy(i -> {
                assertThat(i.path("kind").asText()).isEqualTo("head-does-not-compile");
                assertThat(i.path("errors").toString()).contains("broken.yaml");
            });
            assertProblem(s.get("/api/v1/attention", null), 401, null);
        }
    }
}
