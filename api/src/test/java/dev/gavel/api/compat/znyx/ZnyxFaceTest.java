package dev.gavel.api.compat.znyx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.compat.FaceServer;
import dev.gavel.api.compat.FaceServer.Resp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Seed 002 as its client uses it: read a scope's policy raw and resolved, PUT a full policy (a version),
 * PATCH one detector, read history and an old version, roll back; refusals in FastAPI's shape that write
 * nothing, another org's token, roles; against a real server, Git repository and SQLite log, every answer
 * checked against the face's openapi.json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZnyxFaceTest {
    static final String P = ZnyxFace.BASE + "/v1/policies";
    /** In the template: token-limits, allowed-flavors and sla-p1, one version. */
    static final String BOT = P + "/acme/chat/support-bot/prod";
    /** No files of its own until this test writes them. */
    static final String TRIAGE = P + "/acme/chat/triage-bot/prod";

    static final Map<String, Object> PII = Map.of(
            "action",
            "block",
            "description",
            "No social security numbers",
            "rules",
            List.of(Map.of(
                    "name",
                    "no-ssn",
                    "when",
                    "attributes.pii == \"ssn\"",
                    "effect",
                    "deny",
                    "message",
                    "SSNs may not be sent to the model")));
    static final Map<String, Object> LIMITS =
            Map.of("type", "maxTokens", "action", "warn", "settings", Map.of("total", 1000));

    @TempDir
    static Path dir;

    FaceServer s;

    @BeforeAll
    void start() throws Exception {
        s = FaceServer.start(dir);
        s.contract(ZnyxFace.BASE);
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

    static List<String> names(JsonNode detectors) {
        List<String> out = new ArrayList<>();
        detectors.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<String> loc(Resp r) {
        List<String> out = new ArrayList<>();
        r.json().at("/detail/0/loc").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    @Order(1)
    @DisplayName(
            "GET: the raw policy of exactly the scope with version_number; resolved merges env > agent > app > tenant > global")
    void reads() {
        Resp raw = s.get(BOT, "acme-runtime");
        assertThat(raw.status()).as(raw.text()).isEqualTo(200);
        JsonNode p = raw.json();
        assertThat(p.path("version_number").asInt()).isEqualTo(1);
        assertThat(p.path("active_version").asInt()).isEqualTo(1);
        assertThat(p.path("is_active").asBoolean()).isTrue();
        assertThat(p.path("resolved").asBoolean()).isFalse();
        assertThat(p.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(p.path("env").asText()).isEqualTo("prod");
        assertThat(names(p.path("detectors"))).containsExactlyInAnyOrder("allowed-flavors", "sla-p1", "token-limits");
        assertThat(p.at("/detectors/token-limits/type").asText()).isEqualTo("maxTokens");
        assertThat(p.at("/detectors/token-limits/enabled").asBoolean()).isTrue();

        Resp resolved = s.get(BOT + "?resolved=true", "acme-runtime");
        assertThat(resolved.status()).as(resolved.text()).isEqualTo(200);
        JsonNode r = resolved.json();
        assertThat(r.path("resolved").asBoolean()).isTrue();
        assertThat(r.path("version_number").asInt()).isEqualTo(1);
        // global and tenant detectors are merged in; the raw read mentions none of them
        assertThat(names(r.path("detectors")))
                .contains("token-limits", "eu-residency", "agent-guardrails")
                .hasSizeGreaterThan(names(p.path("detectors")).size());
        List<String> layers = new ArrayList<>();
        r.at("/sources/token-limits").forEach(n -> layers.add(n.asText()));
        assertThat(layers).startsWith("").endsWith("acme.chat.support-bot.prod").contains("acme", "acme.chat");

        assertThat(s.get(TRIAGE, "acme-runtime").status()).isEqualTo(404);
        assertThat(s.get(TRIAGE, "acme-runtime").json().path("detail").isTextual())
                .isTrue();
        Resp inherited = s.get(TRIAGE + "?resolved=true", "acme-runtime");
        assertThat(inherited.status()).isEqualTo(200);
        assertThat(inherited.json().path("version_number").asInt()).isZero();
        assertThat(names(inherited.json().path("detectors"))).contains("token-limits", "weekend-freeze");
    }

    @Test
    @Order(2)
    @DisplayName("PUT replaces every detector of the scope in one commit by the token's principal: one new version")
    void put() {
        String before = head();
        Resp first = call(
                "PUT", TRIAGE, "acme-member", Map.of("detectors", Map.of("pii-guard", PII, "token-limits", LIMITS)));
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().path("version_number").asInt()).isEqualTo(1);
        assertThat(names(first.json().path("detectors"))).containsExactlyInAnyOrder("pii-guard", "token-limits");
        assertThat(first.json().at("/detectors/pii-guard/action").asText()).isEqualTo("block");
        assertThat(first.json().path("created_by").asText()).isEqualTo("Mia Member");
        assertThat(s.repository.commitsBehindHead(before)).isEqualTo(1);
        assertThat(s.repository.latest().orElseThrow().author().name()).isEqualTo("Mia Member");
        String file = new String(
                s.repository
                        .fileAt(head(), "policies/acme/chat/triage-bot/prod/pii-guard.yaml")
                        .orElseThrow(),
                StandardCharsets.UTF_8);
        assertThat(file).contains("enforcement: block").contains("attributes.pii");

        // the core enforces what the face wrote
        Resp e = call(
                "POST",
                "/api/v1/evaluate",
                "acme-runtime",
                Map.of(
                        "scope",
                        "acme.chat.triage-bot.prod",
                        "resource",
                        Map.of("type", "agent", "name", "triage"),
                        "action",
                        "invoke",
                        "location",
                        Map.of("name", "eu-west-1", "country", "IE", "continent", "EU"),
                        "flavor",
                        Map.of("name", "c7i.large", "type", "cpu"),
                        "tokens",
                        Map.of("input", 10, "output", 10),
                        "attributes",
                        Map.of("pii", "ssn")));
        assertThat(e.status()).as(e.text()).isEqualTo(200);
        assertThat(e.json().path("decision").asText()).isEqualTo("deny");
        assertThat(e.json().path("results").findValuesAsText("policy")).contains("pii-guard");

        Resp second = call("PUT", TRIAGE, "acme-member", Map.of("detectors", Map.of("pii-guard", PII)));
        assertThat(second.json().path("version_number").asInt()).isEqualTo(2);
        assertThat(names(second.json().path("detectors"))).containsExactly("pii-guard");
        assertThat(s.repository.fileAt(head(), "policies/acme/chat/triage-bot/prod/token-limits.yaml"))
                .isEmpty();
        // the same policy again changes nothing: no commit, the same version
        String atTwo = head();
        Resp same = call("PUT", TRIAGE, "acme-member", Map.of("detectors", Map.of("pii-guard", PII)));
        assertThat(same.json().path("version_number").asInt()).isEqualTo(2);
        assertThat(head()).isEqualTo(atTwo);
    }

    @Test
    @Order(3)
    @DisplayName(
            "refusals: 422 with FastAPI's loc, 403 for a runtime token or another org, 401 without a token; nothing written")
    void refusals() {
        String before = head();
        Resp extra = call("PUT", TRIAGE, "acme-member", Map.of("detectors", Map.of(), "owner", "me"));
        assertThat(extra.status()).isEqualTo(422);
        assertThat(loc(extra)).containsExactly("body", "owner");
        assertThat(extra.json().at("/detail/0/type").asText()).isEqualTo("extra_forbidden");
        Resp action = call(
                "PUT", TRIAGE, "acme-member", Map.of("detectors", Map.of("pii-guard", Map.of("action", "explode"))));
        assertThat(action.status()).isEqualTo(422);
        assertThat(loc(action)).containsExactly("body", "detectors", "pii-guard", "action");
        Resp rule = call(
                "PUT",
                TRIAGE,
                "acme-member",
                Map.of(
                        "detectors",
                        Map.of(
                                "pii-guard",
                                Map.of(
                                        "rules",
                                        List.of(Map.of(
                                                "name",
                                                "x",
                                                "when",
                                                "attributes.pii ==",
                                                "effect",
                                                "deny",
                                                "message",
                                                "m"))))));
        assertThat(rule.status()).as(rule.text()).isEqualTo(422);
        assertThat(loc(rule)).startsWith("body", "detectors", "pii-guard", "rules");
        Resp settings = call(
                "PUT",
                TRIAGE,
                "acme-member",
                Map.of(
                        "detectors",
                        Map.of(
                                "eu",
                                Map.of(
                                        "type",
                                        "location",
                                        "settings",
                                        Map.of("allowed", List.of(Map.of("name", "EU", "type", "planet")))))));
        assertThat(settings.status()).as(settings.text()).isEqualTo(422);
        assertThat(loc(settings)).startsWith("body", "detectors", "eu", "settings");
        assertThat(call("PUT", TRIAGE, "acme-member", Map.of("detectors", Map.of("Bad Name", PII)))
                        .status())
                .isEqualTo(422);
        assertThat(call("PUT", TRIAGE, "acme-member", List.of()).status()).isEqualTo(422);
        Resp path = call("PUT", P + "/acme/Chat/triage-bot/prod", "acme-member", Map.of("detectors", Map.of()));
        assertThat(path.status()).isEqualTo(422);
        assertThat(loc(path)).containsExactly("path", "app_id");
        Resp runtime = call("PUT", TRIAGE, "acme-runtime", Map.of("detectors", Map.of()));
        assertThat(runtime.status()).isEqualTo(403);
        assertThat(runtime.json().path("detail").isTextual()).isTrue();
        Resp otherOrg = call("PUT", TRIAGE, "globex-owner", Map.of("detectors", Map.of()));
        assertThat(otherOrg.status()).isEqualTo(403);
        assertThat(otherOrg.json().path("detail").asText()).isEqualTo("Token does not have org access");
        assertThat(s.get(TRIAGE, "globex-owner").status()).isEqualTo(403);
        assertThat(s.get(P + "/no-such-org/chat/triage-bot/prod", "globex-owner")
                        .status())
                .isEqualTo(403);
        assertThat(call("PUT", TRIAGE, null, Map.of("detectors", Map.of())).status())
                .isEqualTo(401);
        assertThat(s.get(TRIAGE, "forged").status()).isEqualTo(401);
        assertThat(call("PATCH", TRIAGE + "/detector/pii-guard", "acme-member", Map.of("enabled", "yes"))
                        .status())
                .isEqualTo(422);
        assertThat(call("PATCH", TRIAGE + "/detector/pii-guard", "acme-runtime", Map.of("enabled", false))
                        .status())
                .isEqualTo(403);
        Resp version = s.get(TRIAGE + "?version=abc", "acme-runtime");
        assertThat(version.status()).isEqualTo(422);
        assertThat(loc(version)).containsExactly("query", "version");
        assertThat(s.get(TRIAGE + "?version=99", "acme-runtime").status()).isEqualTo(404);
        assertThat(head()).isEqualTo(before);
        // an unrestricted token works on any org named in the path
        assertThat(s.get(TRIAGE, "root").json().path("version_number").asInt()).isEqualTo(2);
    }

    @Test
    @Order(4)
    @DisplayName("PATCH changes one detector and keeps the others; a new detector is created; each a version")
    void patchDetector() {
        Resp warn = call("PATCH", TRIAGE + "/detector/pii-guard", "acme-member", Map.of("action", "warn"));
        assertThat(warn.status()).as(warn.text()).isEqualTo(200);
        assertThat(warn.json().path("version_number").asInt()).isEqualTo(3);
        assertThat(warn.json().at("/detectors/pii-guard/action").asText()).isEqualTo("warn");
        assertThat(warn.json().at("/detectors/pii-guard/rules/0/name").asText()).isEqualTo("no-ssn");
        assertThat(warn.json().at("/detectors/pii-guard/description").asText()).isEqualTo("No social security numbers");
        Resp created = call(
                "PATCH",
                TRIAGE + "/detector/cost-cap",
                "acme-member",
                Map.of("type", "maxTokens", "action", "block", "settings", Map.of("total", 500)));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.json().path("version_number").asInt()).isEqualTo(4);
        assertThat(names(created.json().path("detectors"))).containsExactlyInAnyOrder("pii-guard", "cost-cap");
        assertThat(created.json().at("/detectors/pii-guard/action").asText()).isEqualTo("warn");
    }

    @Test
    @Order(5)
    @DisplayName("history lists every version newest first; ?version=N reads one as it was")
    void history() {
        Resp h = s.get(TRIAGE + "/history", "acme-runtime");
        assertThat(h.status()).as(h.text()).isEqualTo(200);
        JsonNode versions = h.json().path("versions");
        assertThat(versions.findValuesAsText("version_number")).containsExactly("4", "3", "2", "1");
        assertThat(h.json().path("active_version").asInt()).isEqualTo(4);
        assertThat(versions.get(0).path("is_active").asBoolean()).isTrue();
        assertThat(versions.get(1).path("is_active").asBoolean()).isFalse();
        assertThat(versions.get(0).path("detectors_changed").toString()).contains("cost-cap");
        assertThat(versions.get(2).path("detectors_changed").toString()).contains("token-limits");
        assertThat(versions.get(3).path("created_by").asText()).isEqualTo("Mia Member");
        Resp v1 = s.get(TRIAGE + "?version=1", "acme-runtime");
        assertThat(v1.json().path("version_number").asInt()).isEqualTo(1);
        assertThat(v1.json().path("is_active").asBoolean()).isFalse();
        assertThat(v1.json().path("active_version").asInt()).isEqualTo(4);
        assertThat(names(v1.json().path("detectors"))).containsExactlyInAnyOrder("pii-guard", "token-limits");
        assertThat(v1.json().at("/detectors/pii-guard/action").asText()).isEqualTo("block");
        Resp v1resolved = s.get(TRIAGE + "?version=1&resolved=true", "acme-runtime");
        assertThat(v1resolved.status()).as(v1resolved.text()).isEqualTo(200);
        assertThat(v1resolved
                        .json()
                        .at("/detectors/token-limits/settings/total")
                        .asInt())
                .isEqualTo(1000);
        assertThat(s.get(TRIAGE + "/history", "globex-owner").status()).isEqualTo(403);
    }

    @Test
    @Order(6)
    @DisplayName("rollback (admin) makes version 1's content active as a new version and says which is active")
    void rollback() {
        String before = head();
        assertThat(call("POST", TRIAGE + "/rollback/1", "acme-member", null).status())
                .isEqualTo(403);
        assertThat(call("POST", TRIAGE + "/rollback/1", "globex-owner", null).status())
                .isEqualTo(403);
        assertThat(call("POST", TRIAGE + "/rollback/99", "acme-owner", null).status())
                .isEqualTo(404);
        assertThat(call("POST", TRIAGE + "/rollback/0", "acme-owner", null).status())
                .isEqualTo(422);
        assertThat(head()).isEqualTo(before);
        Resp r = call("POST", TRIAGE + "/rollback/1", "acme-owner", null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("version_number").asInt()).isEqualTo(5);
        assertThat(r.json().path("active_version").asInt()).isEqualTo(5);
        assertThat(r.json().path("rolled_back_to").asInt()).isEqualTo(1);
        JsonNode v1 = s.get(TRIAGE + "?version=1", "acme-runtime").json().path("detectors");
        assertThat(r.json().path("detectors")).isEqualTo(v1);
        assertThat(s.repository.latest().orElseThrow().author().name()).isEqualTo("Olga Owner");
        assertThat(s.get(TRIAGE + "/history", "acme-runtime").json().path("versions"))
                .hasSize(5);
    }

    @Test
    @Order(7)
    @DisplayName("openapi.json describes exactly the face's routes, and every answer above matched it")
    void document() {
        JsonNode doc = s.get(ZnyxFace.BASE + "/openapi.json", null).json();
        Set<String> documented = new HashSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue()
                        .fieldNames()
                        .forEachRemaining(
                                m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + ZnyxFace.BASE + p.getKey())));
        Set<String> registered = new HashSet<>(s.server.registeredRoutes());
        registered.removeIf(r -> !r.contains(" " + ZnyxFace.BASE + "/") || r.endsWith("/openapi.json"));
        assertThat(documented).isEqualTo(registered).hasSize(5);
        assertThat(s.validatedOperations).hasSizeGreaterThan(10);
    }
}
