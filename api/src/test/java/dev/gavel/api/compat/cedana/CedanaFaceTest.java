package dev.gavel.api.compat.cedana;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.contract.OpenApiContract;
import dev.gavel.api.workloads.WorkloadServer;
import dev.gavel.api.workloads.WorkloadServer.Resp;
import dev.gavel.engine.model.PolicyId;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.store.git.CommitInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
 * Seed 003 (Cedana policy API) as its client uses it, over a real server, Git repository and SQLite files:
 * report workloads, create a pods policy and a jobs policy, read pods, jobs and job-status, report new
 * workloads, sync, update, delete, bad bodies (400, nothing committed), tenant isolation. Every answer under
 * the face is checked against the face's own openapi.json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CedanaFaceTest {
    static final String V2 = CedanaFace.BASE + "/v2/policy";
    static final String WEB = "11111111-1111-4111-8111-111111111111";
    static final String API = "22222222-2222-4222-8222-222222222222";
    static final String T0 = "33333333-3333-4333-8333-333333333333";
    static final String T1 = "44444444-4444-4444-8444-444444444444";
    static final String TRAIN = "55555555-5555-4555-8555-555555555555";
    static final String ETL = "66666666-6666-4666-8666-666666666666";
    static final String TRAIN2 = "77777777-7777-4777-8777-777777777777";
    static final String T2 = "88888888-8888-4888-8888-888888888888";

    @TempDir
    static Path dir;

    WorkloadServer s;
    OpenApiInteractionValidator validator;
    /** The seed's own 3.1 document (its fragments merged): every answer it documents must match it exactly. */
    OpenApiContract seed;

    final Set<String> answered = new LinkedHashSet<>();
    String podsPolicy;
    String jobsPolicy;

    @BeforeAll
    void start() throws Exception {
        s = WorkloadServer.start(dir, server -> List.of(CedanaFace.of(server)));
        Resp doc = s.get(CedanaFace.BASE + "/openapi.json", null);
        assertThat(doc.status()).isEqualTo(200);
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(doc.text())
                .build();
        try (var in = getClass().getResourceAsStream("/compat/cedana-seed-openapi.json")) {
            seed = OpenApiContract.of(in.readAllBytes());
        }
    }

    @AfterAll
    void stop() {
        s.close();
    }

    /** A call through the face; its answer must match the face's document. */
    Resp call(String method, String path, String token, Object body) {
        Resp r = s.send(method, path, token, body);
        String bare = path.replace(V2, "/v2/policy");
        SimpleResponse.Builder b = SimpleResponse.Builder.status(r.status());
        r.header("Content-Type").ifPresent(b::withContentType);
        if (r.body().length > 0) {
            b.withBody(r.text());
        }
        ValidationReport report =
                validator.validateResponse(bare, Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), b.build());
        assertThat(report.getMessages())
                .as("%s %s -> %d %s", method, path, r.status(), r.text())
                .isEmpty();
        String template = bare.replaceAll("/v2/policy/[^/]+/(pods|jobs|job-status)$", "/v2/policy/{policy_id}/$1");
        if (seed.document()
                .path("paths")
                .path(template)
                .path(method.toLowerCase(Locale.ROOT))
                .path("responses")
                .has(Integer.toString(r.status()))) {
            seed.assertAnswer(method, template, r.raw()); // the seed documents this status: its schema holds exactly
        }
        answered.add(method + " " + bare.replaceAll("[0-9a-f-]{36}", "{policy_id}") + " " + r.status());
        return r;
    }

    static Map<String, Object> pod(String id, String name, String ns) {
        return Map.of("id", id, "name", name, "namespace", ns, "status", "Running");
    }

    static Map<String, Object> job(String id, String name, int priority, String... pods) {
        return Map.of(
                "id",
                id,
                "name",
                name,
                "namespace",
                "batch",
                "priority",
                priority,
                "status",
                "Running",
                "pods",
                List.of(pods));
    }

    static Map<String, Object> request(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    JsonNode policy(String id, String token) {
        for (JsonNode p : call("GET", V2 + "/list", token, null).json()) {
            if (p.path("id").asText().equals(id)) {
                return p;
            }
        }
        return null;
    }

    @Test
    @Order(1)
    @DisplayName("report workloads, create a pods and a jobs policy: one commit each, ids are stable UUIDs")
    void create() {
        Resp report = s.send(
                "PUT",
                "/api/v1/clusters/prod-1/workloads",
                "acme-runtime",
                Map.of(
                        "pods",
                                List.of(
                                        pod(WEB, "web", "default"),
                                        pod(API, "api", "default"),
                                        pod(T0, "train-0", "batch"),
                                        pod(T1, "train-1", "batch")),
                        "jobs", List.of(job(TRAIN, "train", 5, T0, T1), job(ETL, "etl", 1))));
        assertThat(report.status()).as(report.text()).isEqualTo(200);

        String head = s.head();
        Resp created = call(
                "POST",
                V2 + "/create",
                "acme-member",
                request(
                        "cluster_id",
                        "prod-1",
                        "heartbeat_time",
                        60,
                        "resource_ids",
                        List.of(WEB),
                        "resource",
                        "pods",
                        "policy_type",
                        "heartbeat",
                        "runc_root",
                        "/run/runc"));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.header("Content-Type").orElse("")).startsWith("text/plain");
        podsPolicy = created.text();
        assertThat(PolicyId.parseUuid(podsPolicy)).isPresent();
        List<CommitInfo> commits = s.repository.commits(0, 5).commits();
        assertThat(commits.get(1).id()).isEqualTo(head);
        assertThat(commits.get(0).author().name()).isEqualTo("Mia Member");
        String file = s.repository.filesAt(s.head()).files().keySet().stream()
                .filter(f -> f.startsWith("policies/acme/heartbeat-"))
                .findFirst()
                .orElseThrow();
        String name = file.substring("policies/acme/".length(), file.length() - ".yaml".length());
        assertThat(podsPolicy).isEqualTo(PolicyId.of(ScopePath.of("acme"), name).uuid());

        Resp jobs = call(
                "POST",
                V2 + "/create",
                "acme-member",
                request(
                        "cluster_id",
                        "prod-1",
                        "heartbeat_time",
                        30,
                        "resource_ids",
                        List.of(),
                        "resource",
                        "jobs",
                        "job_filter",
                        Map.of("namespace", "batch", "priority", 5)));
        assertThat(jobs.status()).as(jobs.text()).isEqualTo(200);
        jobsPolicy = jobs.text();
    }

    @Test
    @Order(2)
    @DisplayName("list, pods, jobs and job-status answer from the stored matches")
    void reads() {
        JsonNode p = policy(podsPolicy, "acme-runtime");
        assertThat(p.path("status").asText()).isEqualTo("active");
        assertThat(p.path("policy_type").asText()).isEqualTo("heartbeat");
        assertThat(p.path("input").asLong()).isEqualTo(60);
        assertThat(p.path("resource").asText()).isEqualTo("pods");
        assertThat(p.path("resource_list").get(0).asText()).isEqualTo(WEB);
        assertThat(p.path("pod_count").asLong()).isEqualTo(1);
        assertThat(p.path("job_count").isNull()).isTrue();
        assertThat(p.path("timestamp").asText()).isNotEmpty();
        JsonNode j = policy(jobsPolicy, "acme-runtime");
        assertThat(j.path("job_count").asLong()).isEqualTo(1);
        assertThat(j.path("pod_count").asLong()).isEqualTo(2);

        assertThat(call("GET", V2 + "/" + podsPolicy + "/pods", "acme-runtime", null)
                        .json()
                        .findValuesAsText("name"))
                .containsExactly("web");
        assertThat(call("GET", V2 + "/" + jobsPolicy + "/pods", "acme-runtime", null)
                        .json()
                        .findValuesAsText("id"))
                .containsExactly(T0, T1);
        JsonNode affected = call("GET", V2 + "/" + jobsPolicy + "/jobs", "acme-runtime", null)
                .json();
        assertThat(affected.path("count").asLong()).isEqualTo(1);
        assertThat(affected.at("/affected_jobs/0/id").asText()).isEqualTo(TRAIN);
        assertThat(affected.at("/affected_jobs/0/pod_count").asLong()).isEqualTo(2);
        assertThat(affected.at("/affected_jobs/0/priority").asInt()).isEqualTo(5);
        assertThat(call("GET", V2 + "/" + podsPolicy + "/jobs", "acme-runtime", null)
                        .status())
                .isEqualTo(404);
        JsonNode status = call("GET", V2 + "/" + jobsPolicy + "/job-status", "acme-runtime", null)
                .json();
        assertThat(status.path("policy_id").asText()).isEqualTo(jobsPolicy);
        assertThat(status.path("job_ids").get(0).asText()).isEqualTo(TRAIN);
        assertThat(status.path("tracked_pods").size()).isEqualTo(2);
        assertThat(status.path("pod_count").asLong()).isEqualTo(2);
        assertThat(status.path("job_status").asText()).isEqualTo("Running");
        assertThat(call("GET", V2 + "/not-a-uuid/pods", "acme-runtime", null).status())
                .isEqualTo(400);
        assertThat(call(
                                "GET",
                                V2 + "/"
                                        + PolicyId.of(ScopePath.of("acme"), "nope")
                                                .uuid() + "/pods",
                                "acme-runtime",
                                null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    @Order(3)
    @DisplayName("new workloads are matched on report; sync-jobs recomputes now; update is one commit and re-matches")
    void reportSyncUpdate() {
        Resp report = s.send(
                "PUT",
                "/api/v1/clusters/prod-1/workloads",
                "acme-runtime",
                Map.of(
                        "pods",
                                List.of(
                                        pod(WEB, "web", "default"),
                                        pod(T0, "train-0", "batch"),
                                        pod(T1, "train-1", "batch"),
                                        pod(T2, "train-2", "batch")),
                        "jobs",
                                List.of(
                                        job(TRAIN, "train", 5, T0, T1),
                                        job(TRAIN2, "train-2", 5, T2),
                                        job(ETL, "etl", 1))));
        assertThat(report.status()).isEqualTo(200);
        assertThat(call("GET", V2 + "/" + jobsPolicy + "/jobs", "acme-runtime", null)
                        .json()
                        .path("count")
                        .asLong())
                .isEqualTo(2);
        Resp sync = call("POST", V2 + "/sync-jobs", "acme-member", null);
        assertThat(sync.status()).isEqualTo(200);
        assertThat(sync.json().path("message").asText()).contains("1 cluster");

        String head = s.head();
        Resp updated = call(
                "POST",
                V2 + "/update",
                "acme-member",
                request(
                        "id",
                        jobsPolicy,
                        "cluster_id",
                        "prod-1",
                        "heartbeat_time",
                        45,
                        "resource_ids",
                        List.of(),
                        "resource",
                        "jobs",
                        "job_filter",
                        Map.of("priority", 1)));
        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        assertThat(updated.text()).isEqualTo(jobsPolicy);
        assertThat(s.repository.commits(0, 2).commits().get(1).id()).isEqualTo(head);
        JsonNode jobs = call("GET", V2 + "/" + jobsPolicy + "/jobs", "acme-runtime", null)
                .json();
        assertThat(jobs.path("affected_jobs").findValuesAsText("id")).containsExactly(ETL);
        assertThat(policy(jobsPolicy, "acme-runtime").path("input").asLong()).isEqualTo(45);
    }

    @Test
    @Order(4)
    @DisplayName("bad bodies are 400 in the seed's ApiError shape and commit nothing")
    void badBodies() {
        String head = s.head();
        List<Map<String, Object>> bad = new ArrayList<>(List.of(
                request("cluster_id", "prod-1", "resource_ids", List.of()),
                request("cluster_id", "prod-1", "heartbeat_time", 0, "resource_ids", List.of()),
                request("cluster_id", "prod-1", "heartbeat_time", 10, "resource_ids", List.of("nope")),
                request("cluster_id", "prod-1", "heartbeat_time", 10, "resource_ids", List.of(), "resource", "nodes"),
                request("cluster_id", "Prod_1", "heartbeat_time", 10, "resource_ids", List.of()),
                request("cluster_id", "prod-1", "heartbeat_time", 10, "resource_ids", List.of(), "color", "blue")));
        for (Map<String, Object> body : bad) {
            Resp r = call("POST", V2 + "/create", "acme-member", body);
            assertThat(r.status()).as("%s -> %s", body, r.text()).isEqualTo(400);
            assertThat(r.json().path("code").asText()).isEqualTo("400");
            assertThat(r.json().path("message").asText()).isNotEmpty();
            assertThat(r.json().path("details").isArray()).isTrue();
        }
        Resp zero = call("POST", V2 + "/create", "acme-member", bad.get(1));
        assertThat(zero.json().path("details").findValuesAsText("field")).contains("heartbeat_time");
        assertThat(call("POST", V2 + "/create", "acme-member", "{not json").status())
                .isEqualTo(400);
        assertThat(call(
                                "POST",
                                V2 + "/update",
                                "acme-member",
                                request("cluster_id", "prod-1", "heartbeat_time", 10, "resource_ids", List.of()))
                        .status())
                .isEqualTo(400);
        assertThat(call("DELETE", V2 + "/delete", "acme-owner", Map.of()).status())
                .isEqualTo(400);
        assertThat(s.head()).as("nothing committed").isEqualTo(head);
        Resp anonymous = call("GET", V2 + "/list", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("code").asText()).isEqualTo("401");
    }

    @Test
    @Order(5)
    @DisplayName("another tenant gets 404 for every id and lists none of them")
    void isolation() {
        assertThat(call("GET", V2 + "/list", "globex-owner", null).json().findValuesAsText("id"))
                .doesNotContain(podsPolicy, jobsPolicy);
        assertThat(call("GET", V2 + "/" + podsPolicy + "/pods", "globex-owner", null)
                        .status())
                .isEqualTo(404);
        assertThat(call("GET", V2 + "/" + jobsPolicy + "/jobs", "globex-owner", null)
                        .status())
                .isEqualTo(404);
        assertThat(call("GET", V2 + "/" + jobsPolicy + "/job-status", "globex-owner", null)
                        .status())
                .isEqualTo(404);
        String head = s.head();
        assertThat(call(
                                "POST",
                                V2 + "/update",
                                "globex-owner",
                                request(
                                        "id",
                                        jobsPolicy,
                                        "cluster_id",
                                        "prod-1",
                                        "heartbeat_time",
                                        1,
                                        "resource_ids",
                                        List.of()))
                        .status())
                .isEqualTo(404);
        assertThat(call("DELETE", V2 + "/delete", "globex-owner", Map.of("id", podsPolicy))
                        .status())
                .isEqualTo(404);
        assertThat(s.head()).isEqualTo(head);
    }

    @Test
    @Order(6)
    @DisplayName("delete is one commit; the policy's workloads are let go; a member may not delete")
    void delete() {
        assertThat(call("DELETE", V2 + "/delete", "acme-member", Map.of("id", podsPolicy))
                        .status())
                .isEqualTo(403);
        String head = s.head();
        Resp r = call("DELETE", V2 + "/delete", "acme-owner", Map.of("id", podsPolicy));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("message").asText()).contains("deleted");
        assertThat(s.repository.commits(0, 2).commits().get(1).id()).isEqualTo(head);
        assertThat(call("GET", V2 + "/list", "acme-runtime", null).json().findValuesAsText("id"))
                .doesNotContain(podsPolicy);
        assertThat(call("GET", V2 + "/" + podsPolicy + "/pods", "acme-runtime", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    @Order(7)
    @DisplayName("the face's openapi.json has exactly the seed's operations, ids, statuses and media types")
    void document() {
        JsonNode doc = s.get(CedanaFace.BASE + "/openapi.json", null).json();
        Set<String> ops = new LinkedHashSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(e -> e.getValue()
                        .fields()
                        .forEachRemaining(m -> ops.add(m.getKey().toUpperCase(Locale.ROOT) + " " + e.getKey() + " "
                                + m.getValue().path("operationId").asText())));
        assertThat(ops)
                .containsExactlyInAnyOrder(
                        "POST /v2/policy/create policy_create", "POST /v2/policy/update policy_update",
                        "DELETE /v2/policy/delete policy_delete", "GET /v2/policy/list policy_list",
                        "POST /v2/policy/sync-jobs sync_job_policies",
                                "GET /v2/policy/{policy_id}/job-status get_job_policy_status",
                        "GET /v2/policy/{policy_id}/jobs policy_jobs", "GET /v2/policy/{policy_id}/pods policy_pods");
        assertThat(doc.at("/paths/~1v2~1policy~1create/post/responses/200/content")
                        .has("text/plain"))
                .isTrue();
        assertThat(answered)
                .as("every route was called")
                .anyMatch(a -> a.startsWith("GET /v2/policy/{policy_id}/job-status"))
                .anyMatch(a -> a.startsWith("POST /v2/policy/sync-jobs"))
                .anyMatch(a -> a.startsWith("DELETE /v2/policy/delete 200"))
                .anyMatch(a -> a.startsWith("POST /v2/policy/update 200"))
                .anyMatch(a -> a.startsWith("POST /v2/policy/create 200"));
        assertThat(seed.uncalled())
                .as("seed operations never answered with a status the seed documents")
                .isEmpty();
    }
}
