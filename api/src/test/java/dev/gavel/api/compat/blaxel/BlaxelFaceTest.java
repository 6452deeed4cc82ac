package dev.gavel.api.compat.blaxel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.compat.FaceServer;
import dev.gavel.api.compat.FaceServer.Resp;
import dev.gavel.seed.blaxel.ApiClient;
import dev.gavel.seed.blaxel.ApiException;
import dev.gavel.seed.blaxel.api.PoliciesApi;
import dev.gavel.seed.blaxel.model.Policy;
import dev.gavel.seed.blaxel.model.PolicyList;
import dev.gavel.seed.blaxel.model.PolicySpec;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.ChangeSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * Seed 001 as its client uses it: ListPolicies through a client generated from the seed's own OpenAPI
 * (controlplane.yml), the bare array of older API versions, cursors, limit, sort and q, usage counts against
 * evaluations actually made, another workspace's token; real server, Git repository and SQLite log, every
 * answer checked against the face's openapi.json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlaxelFaceTest {
    static final String LIST = BlaxelFace.BASE + "/policies";
    static final Map<String, String> V2 = Map.of("Blaxel-Version", "2026-04-28");
    /** acme's location, flavor and maxTokens definitions: the template's 7 and the 2 this test adds. */
    static final int ACME_GOVERNANCE = 9;

    @TempDir
    static Path dir;

    FaceServer s;

    @BeforeAll
    void start() throws Exception {
        s = FaceServer.start(dir);
        s.contract(BlaxelFace.BASE);
        Thread.sleep(1100); // Git times are seconds: these policies are created strictly after the template's
        commit(
                new Author("Dana Data", "dana@example.com"),
                Map.of(
                        "policies/acme/eu-only.yaml", """
            apiVersion: gavel/v1
            kind: Policy
            metadata:
              name: eu-only
              displayName: Models stay in the EU
              labels: {team: data-platform}
            spec:
              type: location
              enforcement: block
              resourceTypes: [model, agent]
              settings:
                allowed: [{name: EU, type: continent}]
            """,
                        "policies/acme/cpu-only.yaml", """
            apiVersion: gavel/v1
            kind: Policy
            metadata:
              name: cpu-only
              displayName: CPU only
            spec:
              type: flavor
              enforcement: warn
              settings:
                allowed: [{type: cpu}, {name: t4, type: gpu}]
            """));
    }

    void commit(Author author, Map<String, String> files) throws InterruptedException {
        ChangeSet.Builder b = ChangeSet.builder();
        files.forEach((p, c) -> b.put(p, c.getBytes(StandardCharsets.UTF_8)));
        String id = s.repository.commit(b.build(), author, "test policies").commitId();
        for (int i = 0; i < 300 && !s.server.snapshots().require().commit().equals(id); i++) {
            Thread.sleep(50);
        }
        assertThat(s.server.snapshots().require().commit()).isEqualTo(id);
    }

    @AfterAll
    void stop() {
        s.close();
    }

    /** The client a Blaxel user generates from the seed's document, pointed at the face with a token. */
    PoliciesApi client(String token, String version) {
        ApiClient c = new ApiClient();
        c.updateBaseUri(s.base() + BlaxelFace.BASE);
        c.setRequestInterceptor(r -> {
            r.header("Authorization", "Bearer " + token);
            if (version != null) {
                r.header("Blaxel-Version", version);
            }
        });
        return new PoliciesApi(c);
    }

    Resp get(String query, String token, Map<String, String> headers) {
        return s.send("GET", LIST + query, token, null, headers);
    }

    static List<String> names(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(p -> out.add(p.at("/metadata/name").asText()));
        return out;
    }

    @Test
    @Order(1)
    @DisplayName("the generated client walks every page with limit and the cursor: each policy once, in name order")
    void generatedClientPages() throws Exception {
        PoliciesApi api = client("acme-runtime", "2026-04-28");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            PolicyList page = api.listPolicies(cursor, 2, "name:asc", null);
            assertThat(page.getData()).hasSizeLessThanOrEqualTo(2);
            assertThat(page.getMeta().getTotal()).isEqualTo(ACME_GOVERNANCE);
            page.getData().forEach(p -> seen.add(p.getMetadata().getName()));
            cursor = page.getMeta().getHasMore() ? page.getMeta().getNextCursor() : null;
            if (!page.getMeta().getHasMore()) {
                assertThat(page.getMeta().getNextCursor()).isEmpty();
            }
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(5);
        assertThat(seen).hasSize(ACME_GOVERNANCE).isSorted();
        assertThat(seen).containsOnly("allowed-flavors", "cpu-only", "eu-only", "eu-residency", "token-limits");

        PolicyList byName = api.listPolicies(null, 200, "name:asc", null);
        Policy eu = byName.getData().stream()
                .filter(p -> p.getMetadata().getName().equals("eu-only"))
                .findFirst()
                .orElseThrow();
        assertThat(eu.getSpec().getType()).isEqualTo(PolicySpec.TypeEnum.LOCATION);
        assertThat(eu.getSpec().getLocations()).singleElement().satisfies(l -> {
            assertThat(l.getName()).isEqualTo("EU");
            assertThat(l.getType().getValue()).isEqualTo("continent");
        });
        assertThat(eu.getSpec().getResourceTypes()).extracting(Object::toString).containsExactly("model", "agent");
        assertThat(eu.getSpec().getSandbox()).isFalse();
        assertThat(eu.getMetadata().getDisplayName()).isEqualTo("Models stay in the EU");
        assertThat(eu.getMetadata().getLabels()).containsEntry("team", "data-platform");
        assertThat(eu.getMetadata().getWorkspace()).isEqualTo("acme");
        assertThat(eu.getMetadata().getCreatedBy()).isEqualTo("Dana Data");
        Policy cpu = byName.getData().stream()
                .filter(p -> p.getMetadata().getName().equals("cpu-only"))
                .findFirst()
                .orElseThrow();
        assertThat(cpu.getSpec().getType()).isEqualTo(PolicySpec.TypeEnum.FLAVOR);
        assertThat(cpu.getSpec().getFlavors())
                .extracting(f -> f.getName() + "/" + f.getType().getValue())
                .containsExactly("null/cpu", "t4/gpu");
        assertThat(cpu.getSpec().getSandbox()).isTrue(); // no resourceTypes: every type, sandboxes included
        Policy limits = byName.getData().stream()
                .filter(p -> p.getMetadata().getName().equals("token-limits")
                        && p.getMetadata().getLabels().isEmpty())
                .findFirst()
                .orElseThrow();
        assertThat(limits.getSpec().getType()).isEqualTo(PolicySpec.TypeEnum.MAX_TOKEN);
        assertThat(limits.getSpec().getMaxTokens().getTotal()).isEqualTo(50000);
        // an override below the workspace's scope names its scope in a label
        assertThat(byName.getData())
                .filteredOn(p -> p.getMetadata().getName().equals("token-limits"))
                .extracting(p -> p.getMetadata().getLabels().get(BlaxelPolicies.SCOPE_LABEL))
                .containsExactlyInAnyOrder(
                        null,
                        "acme.chat",
                        "acme.chat.support-bot",
                        "acme.chat.support-bot.dev",
                        "acme.chat.support-bot.prod");

        // createdAt:desc is the default order: the two policies committed last come first
        PolicyList newest = api.listPolicies(null, 2, null, null);
        assertThat(newest.getData())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("eu-only", "cpu-only");
    }

    @Test
    @Order(2)
    @DisplayName(
            "without Blaxel-Version, or before 2026-04-28, the answer is a bare array of every policy; sort and q are ignored")
    void olderVersionsGetTheBareArray() {
        for (Map<String, String> h : List.of(Map.<String, String>of(), Map.of("Blaxel-Version", "2025-11-01"))) {
            Resp r = get("?limit=1&sort=name:asc&q=eu", "acme-runtime", h);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().isArray()).isTrue();
            assertThat(r.json()).hasSize(ACME_GOVERNANCE);
            assertThat(names(r.json()).subList(0, 2)).containsExactlyInAnyOrder("eu-only", "cpu-only");
        }
        Resp bad = get("", "acme-runtime", Map.of("Blaxel-Version", "yesterday"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/details/0/field").asText()).isEqualTo("Blaxel-Version");
    }

    @Test
    @Order(3)
    @DisplayName("q is trimmed and lowercased, searches name, displayName and labels, is ignored under 2 characters;"
            + " meta.total ignores it")
    void search() {
        Resp byName = get("?q=%20%20EU-O%20", "acme-runtime", V2);
        assertThat(names(byName.json().path("data"))).containsExactly("eu-only");
        assertThat(byName.json().at("/meta/total").asInt()).isEqualTo(ACME_GOVERNANCE);
        assertThat(names(get("?q=cpu%20ONLY", "acme-runtime", V2).json().path("data")))
                .containsExactly("cpu-only");
        assertThat(names(get("?q=data-plat", "acme-runtime", V2).json().path("data")))
                .containsExactly("eu-only");
        assertThat(get("?q=support-bot.prod", "acme-runtime", V2).json().path("data"))
                .hasSize(2);
        assertThat(get("?q=e", "acme-runtime", V2).json().path("data")).hasSize(ACME_GOVERNANCE);
        Resp tooLong = get("?q=" + "a".repeat(201), "acme-runtime", V2);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().at("/error/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(tooLong.json().at("/error/status").asInt()).isEqualTo(400);
    }

    @Test
    @Order(4)
    @DisplayName("a cursor is refused with another sort, another q, another workspace, or when not issued here")
    void cursorsAreBound() throws Exception {
        JsonNode first = get("?limit=2&sort=name:asc", "acme-runtime", V2).json();
        String cursor = first.at("/meta/nextCursor").asText();
        assertThat(first.at("/meta/hasMore").asBoolean()).isTrue();
        assertThat(get("?limit=2&sort=name:asc&cursor=" + cursor, "acme-runtime", V2)
                        .status())
                .isEqualTo(200);
        for (String q : List.of(
                "?limit=2&sort=name:desc&cursor=", "?limit=2&sort=name:asc&q=token&cursor=", "?limit=2&cursor=")) {
            Resp r = get(q + cursor, "acme-runtime", V2);
            assertThat(r.status()).as(q).isEqualTo(400);
            assertThat(r.json().at("/error/details/0/field").asText()).isEqualTo("cursor");
        }
        assertThat(get("?limit=2&sort=name:asc&cursor=" + cursor, "globex-owner", V2)
                        .status())
                .isEqualTo(400);
        assertThat(get("?cursor=not-a-cursor", "acme-runtime", V2).status()).isEqualTo(400);
        // the generated client surfaces the refusal as an ApiException with the seed's error body
        assertThatThrownBy(() -> client("acme-runtime", "2026-04-28").listPolicies(cursor, 2, "createdAt:asc", null))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> {
                    assertThat(((ApiException) e).getCode()).isEqualTo(400);
                    assertThat(((ApiException) e).getResponseBody()).contains("\"origin\":\"platform\"");
                });
    }

    @Test
    @Order(5)
    @DisplayName("limit defaults to 50 and is clamped to 200; below 1 or not a number is refused")
    void limits() throws Exception {
        Map<String, String> files = new java.util.TreeMap<>();
        for (int i = 0; i < 205; i++) {
            files.put("policies/initech/loc-" + i + ".yaml", """
          apiVersion: gavel/v1
          kind: Policy
          metadata: {name: loc-%d}
          spec: {type: location, enforcement: audit, settings: {allowed: [{name: FR, type: country}]}}
          """.formatted(i));
        }
        commit(new Author("Ivan Initech", "ivan@example.com"), files);
        Map<String, String> asInitech = Map.of("Blaxel-Version", "2026-04-28", BlaxelFace.WORKSPACE_HEADER, "initech");
        JsonNode byDefault = get("", "root", asInitech).json();
        assertThat(byDefault.path("data")).hasSize(50);
        assertThat(byDefault.at("/meta/total").asInt()).isEqualTo(205);
        // limit=500 is clamped: sent raw, because the face's document (like the seed's client) would not send it
        HttpResponse<String> clamped = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(s.base() + LIST + "?limit=500"))
                                .header("Authorization", "Bearer root")
                                .header("Blaxel-Version", "2026-04-28")
                                .header(BlaxelFace.WORKSPACE_HEADER, "initech")
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(clamped.statusCode()).isEqualTo(200);
        JsonNode page = dev.gavel.api.http.Json.MAPPER.readTree(clamped.body());
        assertThat(page.path("data")).hasSize(200);
        assertThat(page.at("/meta/hasMore").asBoolean()).isTrue();
        assertThat(get("?limit=0", "acme-runtime", V2).status()).isEqualTo(400);
        assertThat(get("?limit=ten", "acme-runtime", V2).status()).isEqualTo(400);
        assertThat(get("?sort=size:asc", "acme-runtime", V2).status()).isEqualTo(400);
    }

    Map<String, Object> request(String tenant, String type, String name) {
        return Map.of(
                "scope",
                tenant,
                "resource",
                Map.of("type", type, "name", name),
                "action",
                "deploy",
                "location",
                Map.of("name", "eu-west-1", "country", "IE", "continent", "EU"),
                "flavor",
                Map.of("name", "c7i.large", "type", "cpu"),
                "tokens",
                Map.of("input", 10, "output", 10));
    }

    @Test
    @Order(6)
    @DisplayName("usage counts the distinct resources of each kind that evaluations applied the policy to")
    void usageFromEvaluations() {
        List<String[]> made = List.of(
                new String[] {"model", "m1"},
                new String[] {"model", "m1"},
                new String[] {"model", "m2"},
                new String[] {"agent", "a1"},
                new String[] {"sandbox", "s1"},
                new String[] {"function", "f1"},
                new String[] {"function", "f2"},
                new String[] {"job", "j1"});
        for (String[] m : made) {
            Resp e = s.send("POST", "/api/v1/evaluate", "acme-runtime", request("acme", m[0], m[1]), Map.of());
            assertThat(e.status()).as(e.text()).isEqualTo(200);
        }
        // the same names in another workspace are other resources, and count for its policies only
        Resp g = s.send("POST", "/api/v1/evaluate", "globex-owner", request("globex", "model", "m3"), Map.of());
        assertThat(g.status()).as(g.text()).isEqualTo(200);
        s.flushLog();
        JsonNode data =
                get("?limit=200&sort=name:asc", "acme-runtime", V2).json().path("data");
        Map<String, JsonNode> usage = new java.util.HashMap<>();
        data.forEach(p -> usage.put(
                p.at("/metadata/name").asText()
                        + p.at("/metadata/labels/" + BlaxelPolicies.SCOPE_LABEL.replace("/", "~1"))
                                .asText(""),
                p.path("usage")));
        // eu-only reaches models and agents
        assertThat(usage.get("eu-only")).isEqualTo(counts(1, 0, 0, 2, 0));
        // cpu-only reaches every kind
        assertThat(usage.get("cpu-only")).isEqualTo(counts(1, 2, 1, 2, 1));
        // acme's token-limits reaches models and agents; its overrides in acme.chat were not asked about
        assertThat(usage.get("token-limits")).isEqualTo(counts(1, 0, 0, 2, 0));
        assertThat(usage.get("token-limitsacme.chat")).isEqualTo(counts(0, 0, 0, 0, 0));
        // the legacy array carries the same counts
        JsonNode legacy = get("", "acme-runtime", Map.of()).json();
        legacy.forEach(p -> {
            if (p.at("/metadata/name").asText().equals("cpu-only")) {
                assertThat(p.path("usage")).isEqualTo(counts(1, 2, 1, 2, 1));
            }
        });
    }

    static JsonNode counts(int agents, int functions, int jobs, int models, int sandboxes) {
        // read back as a client reads it (the answer's text), so numbers compare by value
        return dev.gavel.api.http.Json.MAPPER.valueToTree(Map.of(
                "agents", agents, "functions", functions, "jobs", jobs, "models", models, "sandboxes", sandboxes));
    }

    @Test
    @Order(7)
    @DisplayName("another workspace sees none of acme's policies; the workspace header; 401 in the seed's shape")
    void isolationAndAuth() throws Exception {
        List<String> globex = names(get("?limit=200", "globex-owner", V2).json().path("data"));
        assertThat(globex).containsExactly("eu-residency");
        assertThat(client("globex-owner", "2026-04-28")
                        .listPolicies(null, null, null, "eu-only")
                        .getData())
                .isEmpty();
        Resp root =
                get("?limit=200", "root", Map.of("Blaxel-Version", "2026-04-28", BlaxelFace.WORKSPACE_HEADER, "acme"));
        assertThat(root.json().at("/meta/total").asInt()).isEqualTo(ACME_GOVERNANCE);
        Resp noWorkspace = get("", "root", V2);
        assertThat(noWorkspace.status()).isEqualTo(400);
        assertThat(noWorkspace.json().at("/error/details/0/field").asText()).isEqualTo(BlaxelFace.WORKSPACE_HEADER);
        // a token limited to acme cannot name globex
        assertThat(get("", "acme-owner", Map.of("Blaxel-Version", "2026-04-28", BlaxelFace.WORKSPACE_HEADER, "globex"))
                        .status())
                .isEqualTo(404);
        Resp anonymous = get("", null, V2);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(get("", "forged", V2).status()).isEqualTo(401);
    }

    @Test
    @Order(8)
    @DisplayName("openapi.json describes exactly the face's route as the seed does, and every answer above matched it")
    void document() {
        JsonNode doc = s.get(BlaxelFace.BASE + "/openapi.json", null).json();
        Set<String> documented = new HashSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue()
                        .fieldNames()
                        .forEachRemaining(
                                m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + BlaxelFace.BASE + p.getKey())));
        Set<String> registered = new HashSet<>(s.server.registeredRoutes());
        registered.removeIf(r -> !r.contains(" " + BlaxelFace.BASE + "/") || r.endsWith("/openapi.json"));
        assertThat(documented).isEqualTo(registered).containsExactly("GET " + LIST);
        JsonNode op = doc.at("/paths/~1policies/get");
        assertThat(op.path("operationId").asText()).isEqualTo("ListPolicies");
        assertThat(op.path("parameters").findValuesAsText("name"))
                .contains("cursor", "limit", "sort", "q", "Blaxel-Version");
        assertThat(doc.at("/components/schemas/PolicySpec/properties/type/enum").toString())
                .isEqualTo("[\"location\",\"flavor\",\"maxToken\"]");
        assertThat(s.validatedOperations)
                .anyMatch(o -> o.endsWith(" 200"))
                .anyMatch(o -> o.endsWith(" 400"))
                .anyMatch(o -> o.endsWith(" 401"));
    }
}
