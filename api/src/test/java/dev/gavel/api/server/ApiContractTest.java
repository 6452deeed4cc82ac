package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.contract.OpenApiContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every documented operation is called on a real server (real repository, real log), and every answer,
 * success or problem, validates against the schema the document gives for its status.
 */
class ApiContractTest {
    private static final String ACME = "/api/v1/scopes/acme";
    private static final String P = "/api/v1/scopes/{scope}/policies/{name}";
    private static final String EVALUATE =
            "{\"scope\":\"acme.search\",\"resource\":{\"type\":\"model\",\"name\":\"m1\"},"
                    + "\"action\":\"invoke\",\"location\":{\"name\":\"eu-west-1\",\"country\":\"IE\",\"continent\":\"EU\"},"
                    + "\"flavor\":{\"name\":\"c7i.large\",\"type\":\"cpu\"},\"tokens\":{\"input\":1000,\"output\":200}}";
    private static final String WORKLOADS =
            "{\"tenant\":\"acme\",\"pods\":[{\"id\":\"11111111-1111-4111-8111-111111111111\","
                    + "\"name\":\"web\",\"namespace\":\"default\",\"status\":\"Running\",\"labels\":{\"app\":\"web\"}}],"
                    + "\"jobs\":[{\"id\":\"22222222-2222-4222-8222-222222222222\",\"name\":\"train\",\"namespace\":\"batch\","
                    + "\"priority\":5,\"status\":\"Running\",\"pods\":[\"11111111-1111-4111-8111-111111111111\"]}]}";
    private static final String POLICY = """
      apiVersion: gavel/v1
      kind: Policy
      metadata:
        name: contract-check
        owner: platform
      spec:
        type: custom
        enforcement: audit
        rules:
          - name: no-deploys
            when: action == "deploy"
            effect: deny
            message: no deploys
      """;

    @TempDir
    static Path dir;

    static ServerFixture f;
    static OpenApiContract contract;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
        contract = OpenApiContract.of(f.get("/openapi.json", null).raw().body());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static ServerFixture.Resp call(
            String method, String template, String path, String token, String body, String... headers) {
        ServerFixture.Resp r = f.send(method, path, token, body, headers);
        contract.assertAnswer(method, template, r.raw());
        return r;
    }

    @Test
    @DisplayName("every documented operation answers as its schema says, successes and problems alike")
    void everyOperationMatchesItsSchema() {
        call("GET", "/healthz", "/healthz", null, null);
        call("GET", "/readyz", "/readyz", null, null);
        call("GET", "/metrics", "/metrics", null, null);
        call("GET", "/openapi.json", "/openapi.json", null, null);
        call("GET", "/api/v1/status", "/api/v1/status", "reader", null);
        call("GET", "/api/v1/status", "/api/v1/status", null, null); // 401 problem
        call("POST", "/api/v1/hooks/git", "/api/v1/hooks/git", "reader", null);
        call("GET", "/api/v1/me", "/api/v1/me", "globex-reader", null);
        call("GET", "/api/v1/scopes", "/api/v1/scopes", "reader", null);

        JsonNode list = call("GET", "/api/v1/policies", "/api/v1/policies?limit=2&sort=name:asc", "reader", null)
                .json();
        call(
                "GET",
                "/api/v1/policies",
                "/api/v1/policies?cursor=" + list.at("/meta/nextCursor").asText(),
                "reader",
                null);
        call("GET", "/api/v1/policies", "/api/v1/policies?sort=sideways", "reader", null); // 400
        call("GET", "/api/v1/scopes/{scope}/policies", ACME + "/policies", "reader", null);
        call("GET", "/api/v1/scopes/{scope}/policies", ACME + "/policies?version=1", "reader", null);
        call("GET", P, ACME + "/policies/token-limits", "reader", null);
        call("GET", P, ACME + "/policies/token-limits?version=1", "reader", null);
        call("GET", P, ACME + "/policies/token-limits", "reader", null, "Accept", "application/yaml");
        call("GET", P, ACME + "/policies/nothing-here", "reader", null); // 404
        call("GET", "/api/v1/scopes/{scope}/resolved", "/api/v1/scopes/acme.chat/resolved", "reader", null);
        call("GET", "/api/v1/scopes/{scope}/history", ACME + "/history", "reader", null);
        call("GET", P + "/history", ACME + "/policies/token-limits/history", "reader", null);
        JsonNode commits = call("GET", "/api/v1/commits", "/api/v1/commits?limit=1", "reader", null)
                .json();
        String first = commits.at("/data/0/commit").asText();
        call("GET", "/api/v1/commits/{sha}", "/api/v1/commits/" + first, "reader", null);
        call("GET", "/api/v1/templates", "/api/v1/templates", "reader", null);
        call("POST", "/api/v1/validate", "/api/v1/validate", "reader", POLICY, "Content-Type", "application/yaml");
        call("POST", "/api/v1/validate", "/api/v1/validate", "reader", "{\"conditions\":\"action ==\"}");
        call("POST", "/api/v1/impact", "/api/v1/impact", "reader", "{\"base\":\"" + first + "\"}");

        // Writes, each a commit.
        JsonNode created = call(
                        "POST",
                        "/api/v1/scopes/{scope}/policies",
                        ACME + "/policies",
                        "editor",
                        POLICY,
                        "Content-Type",
                        "application/yaml",
                        "X-Gavel-Message",
                        "contract: create")
                .json();
        String etag = created.at("/policy/etag").asText();
        call(
                "PUT",
                P,
                ACME + "/policies/contract-check",
                "editor",
                POLICY.replace("audit", "warn"),
                "Content-Type",
                "application/yaml",
                "If-Match",
                etag);
        call(
                "PUT",
                P,
                ACME + "/policies/contract-check",
                "editor",
                POLICY,
                "Content-Type",
                "application/yaml",
                "If-Match",
                etag); // 412
        call(
                "PUT",
                P,
                ACME + "/policies/contract-new",
                "editor",
                POLICY.replace("contract-check", "contract-new"),
                "Content-Type",
                "application/yaml"); // 201
        call(
                "PATCH",
                P,
                ACME + "/policies/contract-check",
                "editor",
                "{\"metadata\":{\"owner\":\"sre\"}}",
                "Content-Type",
                "application/merge-patch+json");
        for (String action : new String[] {"deactivate", "activate", "promote", "demote"}) {
            String template = P + "/" + action;
            if (contract.document().path("paths").has(template)) {
                call("POST", template, ACME + "/policies/contract-check/" + action, "editor", null);
            }
        }
        contract.operations().stream()
                .filter(o -> o.startsWith("POST " + P + "/")
                        && !o.endsWith("evaluations")
                        && !o.endsWith("reset-circuit-breaker"))
                .forEach(o -> {
                    String template = o.substring("POST ".length());
                    call(
                            "POST",
                            template,
                            template.replace("{scope}", "acme").replace("{name}", "contract-check"),
                            "editor",
                            null);
                });
        call(
                "POST",
                P + "/reset-circuit-breaker",
                ACME + "/policies/token-limits/reset-circuit-breaker",
                "editor",
                null);
        call("DELETE", P, ACME + "/policies/contract-new", "admin", null);
        call("POST", "/api/v1/scopes/{scope}/rollback/{version}", ACME + "/rollback/1", "admin", null);
        JsonNode head = call("GET", "/api/v1/commits", "/api/v1/commits?limit=1", "reader", null)
                .json();
        call(
                "POST",
                "/api/v1/commits/{sha}/revert",
                "/api/v1/commits/" + head.at("/data/0/commit").asText() + "/revert",
                "admin",
                null);
        call("POST", "/api/v1/pause-all", "/api/v1/pause-all", "admin", null);
        call("POST", "/api/v1/resume-all", "/api/v1/resume-all", "admin", null);
        call("POST", "/api/v1/pause-all", "/api/v1/pause-all", "reader", null); // 403

        // Evaluations and the log.
        call("POST", "/api/v1/evaluate", "/api/v1/evaluate", "reader", EVALUATE);
        call("POST", "/api/v1/evaluate/batch", "/api/v1/evaluate/batch", "reader", "{\"requests\":[" + EVALUATE + "]}");
        f.server.evaluations().log().flush();
        JsonNode logged = call("GET", "/api/v1/evaluations", "/api/v1/evaluations?limit=5", "reader", null)
                .json();
        call(
                "GET",
                "/api/v1/evaluations/{id}",
                "/api/v1/evaluations/" + logged.at("/data/0/id").asText(),
                "reader",
                null);
        call(
                "GET",
                "/api/v1/evaluations/{id}",
                "/api/v1/evaluations/00000000-0000-7000-8000-000000000000",
                "reader",
                null); // 404
        call("GET", "/api/v1/evaluations/{id}", "/api/v1/evaluations/nope", "reader", null); // 400
        call("GET", "/api/v1/evaluations/export", "/api/v1/evaluations/export?limit=5", "reader", null);
        call("GET", P + "/evaluations", ACME + "/policies/token-limits/evaluations?pageSize=5", "reader", null);
        call("GET", "/api/v1/attention", "/api/v1/attention", "reader", null);

        // Workloads (docs/workloads.md).
        String w = "/api/v1/clusters/{cluster}/workloads";
        call(
                "PUT",
                w,
                "/api/v1/clusters/contract-1/workloads",
                "reader",
                WORKLOADS,
                "Content-Type",
                "application/json");
        call(
                "PUT",
                w,
                "/api/v1/clusters/contract-1/workloads",
                "reader",
                "{\"pods\":[{\"id\":\"x\"}]}",
                "Content-Type",
                "application/json"); // 400
        call("GET", w, "/api/v1/clusters/contract-1/workloads", "reader", null);
        call("GET", w, "/api/v1/clusters/contract-1/workloads", "globex-reader", null); // 404
        call("GET", "/api/v1/clusters", "/api/v1/clusters?limit=5", "reader", null);
        call(
                "GET",
                P + "/workloads",
                "/api/v1/scopes/_/policies/checkpoint-heartbeat/workloads?limit=5",
                "reader",
                null);

        assertThat(contract.uncalled())
                .as("documented operations the contract test does not call")
                .isEmpty();
    }
}
