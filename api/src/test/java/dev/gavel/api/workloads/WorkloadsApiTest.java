package dev.gavel.api.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.workloads.WorkloadServer.Resp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Gavel's own workload API over a real server, Git repository and SQLite files: reports, tenant ownership,
 * validation with nothing partial stored, 413, and the matches a report and a policy commit produce.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadsApiTest {
    static final String WEB = "11111111-1111-4111-8111-111111111111";
    static final String API = "22222222-2222-4222-8222-222222222222";
    static final String TRAIN0 = "33333333-3333-4333-8333-333333333333";
    static final String TRAIN = "44444444-4444-4444-8444-444444444444";

    @TempDir
    static Path dir;

    WorkloadServer s;

    @BeforeAll
    void start() throws Exception {
        s = WorkloadServer.start(dir);
    }

    @AfterAll
    void stop() {
        s.close();
    }

    static Map<String, Object> pod(String id, String name, String namespace) {
        return new LinkedHashMap<>(Map.of("id", id, "name", name, "namespace", namespace, "status", "Running"));
    }

    static Map<String, Object> report() {
        return Map.of(
                "pods",
                        List.of(
                                pod(WEB, "web", "default"),
                                pod(API, "api", "default"),
                                pod(TRAIN0, "train-0", "batch")),
                "jobs",
                        List.of(Map.of(
                                "id",
                                TRAIN,
                                "name",
                                "train",
                                "namespace",
                                "batch",
                                "priority",
                                5,
                                "status",
                                "Running",
                                "pods",
                                List.of(TRAIN0))));
    }

    static String heartbeat(String name, String settings) {
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: " + name + "}\nspec:\n  type: heartbeat\n"
                + "  enforcement: audit\n  settings: " + settings + "\n";
    }

    @Test
    @Order(1)
    @DisplayName("a report is stored (not in Git), read back with its time, listed for its tenant only")
    void reportAndRead() {
        String head = s.head();
        Resp r = s.send("PUT", "/api/v1/clusters/prod-1/workloads", "acme-runtime", report());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("tenant").asText()).isEqualTo("acme");
        assertThat(r.json().path("pods").asInt()).isEqualTo(3);
        assertThat(r.json().path("jobs").asInt()).isEqualTo(1);
        assertThat(s.head()).as("workloads are never committed").isEqualTo(head);
        assertThat(Files.exists(s.dataDir.resolve("workloads.db"))).isTrue();

        Resp got = s.get("/api/v1/clusters/prod-1/workloads", "acme-member");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().path("reportedAt").asText()).isNotEmpty();
        assertThat(got.json().path("pods").findValuesAsText("name")).containsExactlyInAnyOrder("web", "api", "train-0");
        assertThat(got.json().at("/jobs/0/pods/0").asText()).isEqualTo(TRAIN0);
        assertThat(got.json().at("/jobs/0/priority").asInt()).isEqualTo(5);

        // Idempotent: the same report again changes nothing but its time.
        assertThat(s.send("PUT", "/api/v1/clusters/prod-1/workloads", "acme-runtime", report())
                        .status())
                .isEqualTo(200);
        assertThat(s.get("/api/v1/clusters/prod-1/workloads", "acme-member")
                        .json()
                        .path("pods")
                        .size())
                .isEqualTo(3);

        assertThat(s.get("/api/v1/clusters", "acme-runtime").json().path("data").findValuesAsText("cluster"))
                .containsExactly("prod-1");
        assertThat(s.get("/api/v1/clusters", "globex-owner").json().path("data").size())
                .isZero();
        assertThat(s.get("/api/v1/clusters/prod-1/workloads", "globex-owner").status())
                .isEqualTo(404);
    }

    @Test
    @Order(2)
    @DisplayName(
            "another tenant cannot take a cluster over (404, nothing stored); an unrestricted token names the tenant")
    void ownership() {
        Resp taken = s.send("PUT", "/api/v1/clusters/prod-1/workloads", "globex-runtime", Map.of("pods", List.of()));
        assertThat(taken.status()).isEqualTo(404);
        assertThat(s.get("/api/v1/clusters/prod-1/workloads", "acme-runtime")
                        .json()
                        .path("pods")
                        .size())
                .isEqualTo(3);

        Resp unnamed = s.send("PUT", "/api/v1/clusters/edge-1/workloads", "root", Map.of("pods", List.of()));
        assertThat(unnamed.status()).isEqualTo(400);
        assertThat(unnamed.json().path("errors").findValuesAsText("field")).contains("tenant");
        assertThat(s.send("PUT", "/api/v1/clusters/edge-1/workloads", "two-tenants", Map.of("pods", List.of()))
                        .status())
                .isEqualTo(400);
        Resp named = s.send(
                "PUT",
                "/api/v1/clusters/edge-1/workloads",
                "root",
                Map.of("tenant", "globex", "pods", List.of(pod(WEB, "web", "default"))));
        assertThat(named.status()).as(named.text()).isEqualTo(200);
        assertThat(named.json().path("tenant").asText()).isEqualTo("globex");
        Resp moved =
                s.send("PUT", "/api/v1/clusters/edge-1/workloads", "root", Map.of("tenant", "acme", "pods", List.of()));
        assertThat(moved.status()).isEqualTo(409);
        assertThat(s.send(
                                "PUT",
                                "/api/v1/clusters/edge-2/workloads",
                                "acme-runtime",
                                Map.of("tenant", "globex", "pods", List.of()))
                        .status())
                .isEqualTo(404);
        assertThat(s.get("/api/v1/clusters", "root").json().path("data").findValuesAsText("cluster"))
                .containsExactly("edge-1", "prod-1");
        Resp page = s.get("/api/v1/clusters?limit=1", "root");
        assertThat(page.json().at("/meta/hasMore").asBoolean()).isTrue();
        Resp next = s.get(
                "/api/v1/clusters?limit=1&cursor="
                        + page.json().at("/meta/nextCursor").asText(),
                "root");
        assertThat(next.json().path("data").findValuesAsText("cluster")).containsExactly("prod-1");
    }

    @Test
    @Order(3)
    @DisplayName("an invalid report names each bad field and stores nothing of itself")
    void validation() {
        List<Object> pods = new ArrayList<>(List.of(
                pod("not-a-uuid", "Web_1", "default"), pod(WEB, "web", "default"), pod(WEB, "web-2", "default")));
        Map<String, Object> extra = pod(API, "api", "default");
        extra.put("color", "blue");
        pods.add(extra);
        Resp bad = s.send(
                "PUT",
                "/api/v1/clusters/prod-1/workloads",
                "acme-runtime",
                Map.of(
                        "pods",
                        pods,
                        "jobs",
                        List.of(Map.of(
                                "id",
                                TRAIN,
                                "name",
                                "train",
                                "namespace",
                                "batch",
                                "priority",
                                "high",
                                "status",
                                "Running",
                                "pods",
                                List.of(TRAIN0)))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").findValuesAsText("field"))
                .contains(
                        "pods[0].id",
                        "pods[0].name",
                        "pods[2].id",
                        "pods[3].color",
                        "jobs[0].priority",
                        "jobs[0].pods[0]");
        assertThat(s.send("PUT", "/api/v1/clusters/Prod_1/workloads", "acme-runtime", report())
                        .status())
                .isEqualTo(400);
        assertThat(s.send("PUT", "/api/v1/clusters/prod-1/workloads", "acme-runtime", "{not json")
                        .status())
                .isEqualTo(400);
        JsonNode kept =
                s.get("/api/v1/clusters/prod-1/workloads", "acme-runtime").json();
        assertThat(kept.path("pods").findValuesAsText("name")).containsExactlyInAnyOrder("web", "api", "train-0");
    }

    @Test
    @Order(4)
    @DisplayName("over 50,000 workloads is 413 and stores nothing")
    void tooMany() {
        List<Object> pods = new ArrayList<>();
        for (int i = 0; i <= 50_000; i++) {
            pods.add(Map.of(
                    "id",
                    String.format("00000000-0000-4000-8000-%012d", i),
                    "name",
                    "p" + i,
                    "namespace",
                    "n",
                    "status",
                    "Running"));
        }
        Resp r = s.send("PUT", "/api/v1/clusters/prod-1/workloads", "acme-runtime", Map.of("pods", pods));
        assertThat(r.status()).as(r.text()).isEqualTo(413);
        assertThat(r.json().path("detail").asText()).contains("at most 50000 workloads");
        assertThat(s.get("/api/v1/clusters/prod-1/workloads", "acme-runtime")
                        .json()
                        .path("pods")
                        .size())
                .isEqualTo(3);

        // A report past the server's general 1 MiB body bound, within 50,000 workloads, is taken.
        Resp big = s.send(
                "PUT",
                "/api/v1/clusters/big-1/workloads",
                "root",
                Map.of("tenant", "initech", "pods", pods.subList(0, 20_000)));
        assertThat(big.status()).as(big.text()).isEqualTo(200);
        assertThat(big.json().path("pods").asInt()).isEqualTo(20_000);
    }

    @Test
    @Order(5)
    @DisplayName("matches follow reports and commits: nearest scope wins, intervals apply, a deleted policy lets go")
    void matchesFollowCommits() {
        // The template's global checkpoint-heartbeat (pods, 300 s) governs every pod; no job policy yet.
        Resp global = s.get("/api/v1/scopes/_/policies/checkpoint-heartbeat/workloads", "acme-runtime");
        assertThat(global.status()).as(global.text()).isEqualTo(200);
        assertThat(global.json().path("data").findValuesAsText("id")).containsExactlyInAnyOrder(WEB, API, TRAIN0);
        assertThat(global.json().at("/data/0/interval").asLong()).isEqualTo(300);
        assertThat(s.get("/api/v1/scopes/_/policies/checkpoint-heartbeat/workloads", "globex-owner")
                        .json()
                        .path("data")
                        .findValuesAsText("cluster"))
                .as("globex sees its own workloads only")
                .containsOnly("edge-1");

        Resp created = s.send(
                "PUT",
                "/api/v1/scopes/acme/policies/web-beat",
                "acme-member",
                heartbeat("web-beat", "{interval: 60, resource: pods, clusterId: prod-1, resourceName: web}"));
        assertThat(created.status()).as(created.text()).isIn(200, 201);
        s.send(
                "PUT",
                "/api/v1/scopes/acme/policies/batch-jobs",
                "acme-member",
                heartbeat("batch-jobs", "{interval: 30, resource: jobs, jobFilter: {namespace: batch, priority: 5}}"));
        // Recomputed for the new snapshot without a new report.
        Resp web = s.get("/api/v1/scopes/acme/policies/web-beat/workloads", "acme-runtime");
        assertThat(web.json().path("data").findValuesAsText("id")).containsExactly(WEB);
        assertThat(web.json().at("/data/0/interval").asLong()).isEqualTo(60);
        assertThat(web.json().path("counts").path("pods").asLong()).isEqualTo(1);
        // Policy reads carry the counts.
        Resp read = s.get("/api/v1/scopes/acme/policies/web-beat", "acme-runtime");
        assertThat(read.json().at("/workloads/pods").asLong()).as(read.text()).isEqualTo(1);
        Resp listed = s.get("/api/v1/policies?type=heartbeat&scope=acme", "acme-runtime");
        assertThat(listed.json().path("data").findValues("workloads")).isNotEmpty();
        assertThat(s.get("/api/v1/scopes/acme/policies/token-limits", "acme-runtime")
                        .json()
                        .has("workloads"))
                .isFalse();
        Resp jobs = s.get("/api/v1/scopes/acme/policies/batch-jobs/workloads?kind=job", "acme-runtime");
        assertThat(jobs.json().path("data").findValuesAsText("id")).containsExactly(TRAIN);
        assertThat(jobs.json().at("/counts/trackedPods").asLong()).isEqualTo(1);
        assertThat(s.get("/api/v1/scopes/_/policies/checkpoint-heartbeat/workloads", "acme-runtime")
                        .json()
                        .path("data")
                        .findValuesAsText("id"))
                .containsExactlyInAnyOrder(API, TRAIN0);

        // An interval change is recomputed too.
        s.send(
                "PUT",
                "/api/v1/scopes/acme/policies/web-beat",
                "acme-member",
                heartbeat("web-beat", "{interval: 45, resource: pods, clusterId: prod-1, resourceName: web}"));
        assertThat(s.get("/api/v1/scopes/acme/policies/web-beat/workloads", "acme-runtime")
                        .json()
                        .at("/data/0/interval")
                        .asLong())
                .isEqualTo(45);

        // A report with a new pod named web: governed at once.
        Map<String, Object> next = new LinkedHashMap<>(report());
        List<Object> pods = new ArrayList<>((List<?>) next.get("pods"));
        pods.add(pod("55555555-5555-4555-8555-555555555555", "web", "canary"));
        next.put("pods", pods);
        Resp r = s.send("PUT", "/api/v1/clusters/prod-1/workloads", "acme-runtime", next);
        assertThat(r.json().path("governed").asInt()).isEqualTo(5);
        Resp paged = s.get("/api/v1/scopes/acme/policies/web-beat/workloads?limit=1", "acme-runtime");
        assertThat(paged.json().at("/meta/total").asLong()).isEqualTo(2);
        assertThat(paged.json().at("/meta/hasMore").asBoolean()).isTrue();
        Resp second = s.get(
                "/api/v1/scopes/acme/policies/web-beat/workloads?limit=1&cursor="
                        + paged.json().at("/meta/nextCursor").asText(),
                "acme-runtime");
        assertThat(second.json().path("data").findValuesAsText("id"))
                .containsExactly("55555555-5555-4555-8555-555555555555");

        assertThat(s.send("DELETE", "/api/v1/scopes/acme/policies/web-beat", "acme-owner", null)
                        .status())
                .isEqualTo(204);
        assertThat(s.get("/api/v1/scopes/_/policies/checkpoint-heartbeat/workloads", "acme-runtime")
                        .json()
                        .path("data")
                        .findValuesAsText("id"))
                .contains(WEB);
        assertThat(s.get("/api/v1/scopes/acme/policies/web-beat/workloads", "acme-runtime")
                        .status())
                .isEqualTo(404);
        assertThat(s.get("/api/v1/scopes/globex/policies/x/workloads", "acme-runtime")
                        .status())
                .isEqualTo(404);
    }

    @Test
    @Order(6)
    @DisplayName("POST /evaluate with a pod or job names the heartbeat policy governing it; other requests do not")
    void evaluate() {
        // The template's global flavor policy applies to every resource type: a pod or job says where it runs too.
        Resp job = s.send(
                "POST",
                "/api/v1/evaluate",
                "acme-runtime",
                Map.of(
                        "scope",
                        "acme",
                        "flavor",
                        Map.of("type", "cpu"),
                        "resource",
                        Map.of("type", "job", "name", "train"),
                        "attributes",
                        Map.of(
                                "workload",
                                Map.of("cluster", "prod-1", "namespace", "batch", "id", TRAIN, "priority", 5))));
        assertThat(job.status()).as(job.text()).isEqualTo(200);
        assertThat(job.json().at("/heartbeat/policy").asText()).isEqualTo("batch-jobs");
        assertThat(job.json().at("/heartbeat/interval").asLong()).isEqualTo(30);
        assertThat(job.json().at("/heartbeat/settings/jobFilter/priority").asInt())
                .isEqualTo(5);
        assertThat(job.json().path("decision").asText()).isEqualTo("allow");
        Resp pod = s.send(
                "POST",
                "/api/v1/evaluate",
                "acme-runtime",
                Map.of(
                        "scope",
                        "acme",
                        "flavor",
                        Map.of("type", "cpu"),
                        "resource",
                        Map.of("type", "pod", "name", "api"),
                        "attributes",
                        Map.of("workload.namespace", "default")));
        assertThat(pod.json().at("/heartbeat/policy").asText()).isEqualTo("checkpoint-heartbeat");
        assertThat(pod.json().at("/heartbeat/definedAt").asText()).isEmpty();
        Resp model = s.send(
                "POST",
                "/api/v1/evaluate",
                "acme-runtime",
                Map.of(
                        "scope",
                        "acme",
                        "flavor",
                        Map.of("type", "cpu"),
                        "resource",
                        Map.of("type", "model", "name", "m"),
                        "action",
                        "deploy"));
        assertThat(model.json().has("heartbeat")).isFalse();
    }
}
