package dev.gavel.api.compat.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.compat.FaceServer;
import dev.gavel.api.compat.FaceServer.Resp;
import dev.gavel.api.http.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000 as its client uses it: templates, validate-conditions, create, list, get, update, lifecycle,
 * evaluation history with passes, bulk pause/resume, delete by role; against a real server, Git
 * repository and SQLite log; every answer checked against the face's openapi.json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkspaceFaceTest {
    static final String API = WorkspaceFace.BASE + "/api/policies";
    static final Map<String, Object> SEED_CONDITION =
            Map.of("provider", "github", "check", "branch_protection", "params", Map.of("branch", "main"));

    @TempDir
    static Path dir;

    FaceServer s;
    String id;

    @BeforeAll
    void start() throws Exception {
        s = FaceServer.start(dir);
        s.contract(WorkspaceFace.BASE);
    }

    @AfterAll
    void stop() {
        s.close();
    }

    Resp call(String method, String path, String token, Object body) {
        return s.send(method, path, token, body, Map.of());
    }

    String head() {
        return s.repository.head().orElseThrow();
    }

    @Test
    @Order(1)
    @DisplayName("templates and validate-conditions: the seed's body validates; bad params are field errors")
    void templatesAndValidation() {
        Resp t = s.get(API + "/templates", "acme-runtime");
        assertThat(t.status()).isEqualTo(200);
        assertThat(t.json().path("templates").findValuesAsText("id"))
                .contains(
                        "github.branch_protection",
                        "github.required_reviews",
                        "github.status_checks",
                        "cost.threshold",
                        "approvals.required");
        Resp ok = call("POST", API + "/validate-conditions", "acme-runtime", Map.of("conditions", SEED_CONDITION));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("valid").asBoolean()).isTrue();
        assertThat(ok.json().at("/conditions/0/condition").asText()).contains("github.branch_protected");
        Resp bad = call(
                "POST",
                API + "/validate-conditions",
                "acme-runtime",
                Map.of(
                        "conditions",
                        List.of(
                                SEED_CONDITION,
                                Map.of(
                                        "provider",
                                        "github",
                                        "check",
                                        "required_reviews",
                                        "params",
                                        Map.of("min", 0, "x", 1)),
                                Map.of("provider", "gitlab", "check", "branch_protection"))));
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.json().path("valid").asBoolean()).isFalse();
        assertThat(bad.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder(
                        "conditions[1].params.min", "conditions[1].params.x", "conditions[2].provider");
    }

    @Test
    @Order(2)
    @DisplayName("create is one commit by the member; bad input answers in the seed's error shape and commits nothing")
    void create() throws Exception {
        String before = head();
        Resp bad = call(
                "POST",
                API,
                "acme-member",
                Map.of(
                        "name",
                        "Bad Name!",
                        "conditions",
                        Map.of(
                                "provider",
                                "github",
                                "check",
                                "branch_protection",
                                "params",
                                Map.of("branch", "main\" || true"))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().at("/error/details").findValuesAsText("field"))
                .contains("name", "conditions.params.branch");
        Resp unknown =
                call("POST", API, "acme-member", Map.of("name", "x", "conditions", SEED_CONDITION, "owner", "me"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(call("POST", API, "acme-runtime", Map.of("name", "x", "conditions", SEED_CONDITION))
                        .status())
                .isEqualTo(403);
        assertThat(head()).isEqualTo(before);

        Resp created = call(
                "POST",
                API,
                "acme-member",
                Map.of(
                        "name",
                        "require-branch-protection",
                        "description",
                        "Deploys come from a protected main",
                        "conditions",
                        SEED_CONDITION));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode p = created.json();
        id = p.path("id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(p.path("enforcement").asText()).isEqualTo("warn");
        assertThat(p.path("status").asText()).isEqualTo("active");
        assertThat(p.path("scope").asText()).isEqualTo("acme");
        assertThat(p.path("createdBy").asText()).isEqualTo("Mia Member");
        assertThat(p.at("/conditions/0/params/branch").asText()).isEqualTo("main");
        String file = new String(
                s.repository
                        .fileAt(head(), "policies/acme/require-branch-protection.yaml")
                        .orElseThrow(),
                StandardCharsets.UTF_8);
        assertThat(file).contains("provider: github").contains("branch: main");
        assertThat(s.repository.latest().orElseThrow().author().name()).isEqualTo("Mia Member");
        assertThat(call(
                                "POST",
                                API,
                                "acme-member",
                                Map.of("name", "require-branch-protection", "conditions", SEED_CONDITION))
                        .status())
                .isEqualTo(409);
    }

    @Test
    @Order(3)
    @DisplayName("list and get by id; another workspace gets 404 and an empty list")
    void readsAndIsolation() {
        Resp list = s.get(API, "acme-runtime");
        assertThat(list.json().path("policies").findValuesAsText("id")).contains(id);
        assertThat(list.json().path("policies").findValuesAsText("scope")).allMatch(sc -> sc.startsWith("acme"));
        assertThat(s.get(API + "/" + id, "acme-runtime").json().path("name").asText())
                .isEqualTo("require-branch-protection");
        assertThat(s.get(API + "/" + id, "globex-owner").status()).isEqualTo(404);
        assertThat(s.get(API, "globex-owner").json().path("policies").findValuesAsText("id"))
                .doesNotContain(id);
        String before = head();
        assertThat(call("DELETE", API + "/" + id, "globex-owner", null).status())
                .isEqualTo(404);
        assertThat(call("POST", API + "/" + id + "/promote", "globex-owner", null)
                        .status())
                .isEqualTo(404);
        assertThat(head()).isEqualTo(before);
        assertThat(s.get(API + "/not-an-id", "acme-runtime").status()).isEqualTo(404);
        // an unrestricted token names the workspace with the header
        assertThat(s.get(API, "root").status()).isEqualTo(400);
        Resp root = s.send("GET", API + "/" + id, "root", null, Map.of("X-Workspace-Id", "acme"));
        assertThat(root.status()).isEqualTo(200);
        assertThat(s.send("GET", API + "/" + id, "root", null, Map.of("X-Workspace-Id", "globex"))
                        .status())
                .isEqualTo(404);
    }

    Map<String, Object> request(boolean protectedBranch, int pr) {
        return Map.of(
                "scope",
                "acme",
                "resource",
                Map.of("type", "model", "name", "m1"),
                "action",
                "invoke",
                "location",
                Map.of("name", "eu-west-1", "country", "IE", "continent", "EU"),
                "flavor",
                Map.of("name", "c7i.large", "type", "cpu"),
                "tokens",
                Map.of("input", 10, "output", 10),
                "attributes",
                Map.of(
                        "pr",
                        pr,
                        "repo",
                        "acme/api",
                        "github",
                        Map.of("branch", "main", "branch_protected", protectedBranch)));
    }

    @Test
    @Order(4)
    @DisplayName("evaluation history lists passes and failures with the request's context, paged with the total")
    void evaluations() {
        for (int i = 0; i < 5; i++) {
            Resp e = call("POST", "/api/v1/evaluate", "acme-runtime", request(i != 3, 40 + i));
            assertThat(e.status()).as(e.text()).isEqualTo(200);
            assertThat(e.json().path("decision").asText()).isEqualTo(i == 3 ? "warn" : "allow");
        }
        s.flushLog();
        Resp p1 = s.get(API + "/" + id + "/evaluations?page=1&pageSize=2", "acme-runtime");
        assertThat(p1.status()).as(p1.text()).isEqualTo(200);
        assertThat(p1.json().path("total").asLong()).isEqualTo(5);
        assertThat(p1.json().path("pageSize").asInt()).isEqualTo(2);
        JsonNode items = p1.json().path("evaluations");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("result").asText()).isEqualTo("pass");
        assertThat(items.get(0).at("/context/pr").asInt()).isEqualTo(44);
        assertThat(items.get(0).at("/context/repo").asText()).isEqualTo("acme/api");
        assertThat(items.get(1).path("result").asText()).isIn("fail", "warn");
        assertThat(items.get(1).at("/context/pr").asInt()).isEqualTo(43);
        assertThat(s.get(API + "/" + id + "/evaluations?page=3&pageSize=2", "acme-runtime")
                        .json()
                        .path("evaluations"))
                .hasSize(1);
        assertThat(s.get(API + "/" + id + "/evaluations?pageSize=101", "acme-runtime")
                        .status())
                .isEqualTo(400);
        assertThat(s.get(API + "/" + id + "/evaluations", "globex-owner").status())
                .isEqualTo(404);
    }

    @Test
    @Order(5)
    @DisplayName("promote moves warn to block, deactivate stops it, activate starts it; each a commit")
    void lifecycle() {
        Resp promoted = call("POST", API + "/" + id + "/promote", "acme-member", null);
        assertThat(promoted.json().path("enforcement").asText()).isEqualTo("block");
        assertThat(call("POST", "/api/v1/evaluate", "acme-runtime", request(false, 50))
                        .json()
                        .path("decision")
                        .asText())
                .isEqualTo("deny");
        assertThat(call("POST", API + "/" + id + "/promote", "acme-member", null)
                        .status())
                .isEqualTo(409);
        assertThat(call("POST", API + "/" + id + "/deactivate", "acme-member", null)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("inactive");
        assertThat(call("POST", "/api/v1/evaluate", "acme-runtime", request(false, 51))
                        .json()
                        .path("decision")
                        .asText())
                .isEqualTo("allow");
        assertThat(call("POST", API + "/" + id + "/activate", "acme-member", null)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("active");
        Resp reset = call("POST", API + "/" + id + "/reset-circuit-breaker", "acme-member", null);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().at("/circuitBreaker/state").asText()).isEqualTo("closed");
        assertThat(s.get(API + "/attention-count", "acme-runtime")
                        .json()
                        .path("count")
                        .isInt())
                .isTrue();
    }

    @Test
    @Order(6)
    @DisplayName("update replaces the fields given; a bad update answers 422 and commits nothing")
    void update() {
        String before = head();
        Resp bad = call(
                "PUT",
                API + "/" + id,
                "acme-member",
                Map.of(
                        "conditions",
                        List.of(
                                SEED_CONDITION,
                                Map.of(
                                        "provider",
                                        "github",
                                        "check",
                                        "required_reviews",
                                        "params",
                                        Map.of("min", 0)))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().at("/error/details/0/field").asText()).isEqualTo("conditions[1].params.min");
        assertThat(call("PUT", API + "/" + id, "acme-member", Map.of("name", "renamed"))
                        .status())
                .isEqualTo(422);
        assertThat(head()).isEqualTo(before);
        Resp ok = call(
                "PUT",
                API + "/" + id,
                "acme-member",
                Map.of(
                        "description",
                        "Two reviews too",
                        "conditions",
                        List.of(
                                SEED_CONDITION,
                                Map.of(
                                        "provider",
                                        "github",
                                        "check",
                                        "required_reviews",
                                        "params",
                                        Map.of("min", 2)))));
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(ok.json().path("id").asText()).isEqualTo(id);
        assertThat(ok.json().path("conditions")).hasSize(2);
        assertThat(ok.json().path("description").asText()).isEqualTo("Two reviews too");
        assertThat(ok.json().path("enforcement").asText()).isEqualTo("block");
    }

    @Test
    @Order(7)
    @DisplayName("pause-all and resume-all change only the workspace's policies, in one commit each")
    void bulk() {
        assertThat(call("POST", API + "/pause-all", "acme-member", null).status())
                .isEqualTo(403);
        Resp paused = call("POST", API + "/pause-all", "acme-owner", null);
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        assertThat(paused.json().path("changed").asInt()).isGreaterThan(1);
        assertThat(s.get(API, "acme-runtime").json().path("policies").findValuesAsText("status"))
                .containsOnly("inactive");
        assertThat(s.get(API, "globex-owner").json().path("policies").findValuesAsText("status"))
                .contains("active");
        Resp resumed = call("POST", API + "/resume-all", "acme-owner", null);
        assertThat(resumed.json().path("changed").asInt())
                .isGreaterThanOrEqualTo(paused.json().path("changed").asInt());
        assertThat(s.get(API, "acme-runtime").json().path("policies").findValuesAsText("status"))
                .containsOnly("active");
    }

    @Test
    @Order(8)
    @DisplayName("delete needs owner or admin: a member gets 403, the owner 204, then the id is gone")
    void delete() {
        assertThat(call("DELETE", API + "/" + id, "acme-member", null).status()).isEqualTo(403);
        assertThat(call("DELETE", API + "/" + id, "acme-owner", null).status()).isEqualTo(204);
        assertThat(s.get(API + "/" + id, "acme-runtime").status()).isEqualTo(404);
        assertThat(s.repository.fileAt(head(), "policies/acme/require-branch-protection.yaml"))
                .isEmpty();
    }

    @Test
    @Order(9)
    @DisplayName(
            "promotion readiness is the rule the policy states, shown with its figures in the policy and attention")
    void promotionReadiness() {
        Resp created = call(
                "POST",
                API,
                "acme-member",
                Map.of(
                        "name",
                        "protected-main",
                        "conditions",
                        SEED_CONDITION,
                        "promotion",
                        Map.of("minEvaluations", 4, "maxWouldDenyRate", 0.3)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String pid = created.json().path("id").asText();
        assertThat(created.json().at("/promotion/ready").asBoolean()).isFalse();
        assertThat(created.json().at("/promotion/rule/stated").asBoolean()).isTrue();
        assertThat(created.json().at("/promotion/unmet/0").asText()).startsWith("minEvaluations: 0 of 4");
        assertThat(s.repository
                        .fileAt(head(), "policies/acme/protected-main.yaml")
                        .map(b -> new String(b, StandardCharsets.UTF_8))
                        .orElseThrow())
                .contains("promotion:")
                .contains("maxWouldDenyRate: 0.3");
        for (int i = 0; i < 4; i++) {
            assertThat(call("POST", "/api/v1/evaluate", "acme-runtime", request(i != 0, 60 + i))
                            .status())
                    .isEqualTo(200);
        }
        s.flushLog();
        JsonNode p = s.get(API + "/" + pid, "acme-runtime").json().path("promotion");
        assertThat(p.path("ready").asBoolean()).as(p.toString()).isTrue();
        assertThat(p.at("/figures/evaluations7d").asLong()).isEqualTo(4);
        assertThat(p.at("/figures/wouldDeny7d").asLong()).isEqualTo(1);
        assertThat(p.at("/figures/wouldDenyRate7d").asDouble()).isEqualTo(0.25);
        assertThat(p.at("/figures/enforcementSince").asText()).isNotEmpty();
        assertThat(s.get(API + "/attention-count", "acme-runtime")
                        .json()
                        .at("/reasons/readyToPromote")
                        .asInt())
                .isGreaterThanOrEqualTo(1);
        JsonNode items = s.get("/api/v1/attention", "acme-runtime").json().path("items");
        JsonNode item = null;
        for (JsonNode i : items) {
            if (i.path("policy").asText().equals("protected-main")) {
                item = i;
            }
        }
        assertThat(item).as(items.toString()).isNotNull();
        assertThat(item.path("kind").asText()).isEqualTo("ready-to-promote");
        assertThat(item.at("/promotion/figures/wouldDeny7d").asLong()).isEqualTo(1);
        // a stricter rule: the same figures are not enough, and the policy says why
        Resp stricter = call(
                "PUT",
                API + "/" + pid,
                "acme-member",
                Map.of("promotion", Map.of("minEvaluations", 4, "minDaysInWarn", 3, "maxWouldDenyRate", 0.1)));
        assertThat(stricter.status()).as(stricter.text()).isEqualTo(200);
        assertThat(stricter.json().at("/promotion/ready").asBoolean()).isFalse();
        assertThat(stricter.json().at("/promotion/unmet").findValuesAsText("")).isEmpty();
        assertThat(stricter.json().at("/promotion/unmet").toString())
                .contains("minDaysInWarn: 0 of 3")
                .contains("maxWouldDenyRate: 0.25 is over 0.1");
        Resp bad = call("PUT", API + "/" + pid, "acme-member", Map.of("promotion", Map.of("minEvaluations", 0)));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().at("/error/details/0/field").asText()).isEqualTo("promotion.minEvaluations");
    }

    @Test
    @Order(10)
    @DisplayName("openapi.json describes exactly the face's routes, and every answer above matched it")
    void document() {
        JsonNode doc = s.get(WorkspaceFace.BASE + "/openapi.json", null).json();
        Set<String> documented = new HashSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue()
                        .fieldNames()
                        .forEachRemaining(m ->
                                documented.add(m.toUpperCase(Locale.ROOT) + " " + WorkspaceFace.BASE + p.getKey())));
        Set<String> registered = new HashSet<>(s.server.registeredRoutes());
        registered.removeIf(r -> !r.contains(" " + WorkspaceFace.BASE + "/") || r.endsWith("/openapi.json"));
        assertThat(documented).isEqualTo(registered);
        assertThat(s.validatedOperations).hasSizeGreaterThan(20);
        assertThat(Json.MAPPER.valueToTree(doc).path("openapi").asText()).startsWith("3.0");
    }
}
