package dev.gavel.api.compat.cpod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.compat.FaceServer;
import dev.gavel.api.compat.FaceServer.Resp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * Seed 004 as its client uses it: list (filters, search, sort, cursor pages), create (the document's own SDK
 * example, a policy document, an SLA policy), get, update, soft delete and restore, complete; against a real
 * server, Git repository and SQLite log; every answer checked against the face's openapi.json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CpodFaceTest {
    static final String API = CpodFace.BASE + "/api/v1/policies";
    static final String ULID_ID = "per_[0-9A-HJKMNP-TV-Z]{26}";

    @TempDir
    static Path dir;

    FaceServer s;
    String exampleId;
    String documentId;
    String slaId;

    @BeforeAll
    void start() throws Exception {
        s = FaceServer.start(dir);
        s.contract(CpodFace.BASE);
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

    String file(String path) {
        return new String(s.repository.fileAt(head(), path).orElseThrow(), StandardCharsets.UTF_8);
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    @Order(1)
    @DisplayName("list returns only the tenant's records, as records, with per_ ids")
    void listsOnlyYourRecords() {
        Resp acme = s.get(API, "acme-runtime");
        assertThat(acme.status()).as(acme.text()).isEqualTo(200);
        JsonNode data = acme.json().path("data");
        assertThat(data.findValuesAsText("tenant_id")).isNotEmpty().containsOnly("acme");
        assertThat(data.findValuesAsText("id")).allMatch(id -> id.matches(ULID_ID));
        assertThat(acme.json().path("total").asInt()).isEqualTo(data.size());
        JsonNode card = find(data, "acme model card standard");
        assertThat(card.path("body").asText()).startsWith("# Model cards");
        assertThat(card.path("version").asText()).isEqualTo("1.0.0");
        assertThat(card.path("published_at").asText()).isEqualTo("2026-09-15T00:00:00Z");
        assertThat(card.path("next_review_at").asText()).isEqualTo("2027-09-15T00:00:00Z");
        assertThat(card.path("owner_id").asText()).isEqualTo("acme-ml");
        assertThat(card.path("source").asText()).isEqualTo("edm");
        assertThat(card.path("source_type").asText()).isEqualTo("api");
        assertThat(card.path("schema_version").asInt()).isEqualTo(1);
        assertThat(card.path("created_by").asText()).isEqualTo("Tester");
        assertThat(card.path("priority").isNull()).isTrue();
        Resp globex = s.get(API, "globex-owner");
        JsonNode sla = find(globex.json().path("data"), "P1 SLA for globex (business hours)");
        assertThat(globex.json().path("data").findValuesAsText("tenant_id")).containsOnly("globex");
        assertThat(sla.path("priority").asText()).isEqualTo("P1"); // inherited from the global sla-p1 it overrides
        assertThat(sla.path("business_hours_only").asBoolean()).isTrue(); // its own
        assertThat(globex.json().path("data").findValuesAsText("id"))
                .doesNotContainAnyElementsOf(data.findValuesAsText("id"));
    }

    static JsonNode find(JsonNode data, String name) {
        for (JsonNode r : data) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no record named " + name + " in " + data.findValuesAsText("name"));
    }

    @Test
    @Order(2)
    @DisplayName(
            "create: the document's own SDK example, a policy document and an SLA policy, one commit each by the member")
    void create() {
        Resp example = call(
                "POST",
                API,
                "acme-member",
                map(
                        "id",
                        "rec_01HXEXAMPLE",
                        "tenant_id",
                        "example tenant_id",
                        "created_at",
                        "2026-01-01T00:00:00Z",
                        "updated_at",
                        "2026-01-01T00:00:00Z",
                        "app_id",
                        "example app_id",
                        "created_by",
                        "rec_01HXEXAMPLE"));
        assertThat(example.status()).as(example.text()).isEqualTo(201);
        exampleId = example.json().path("id").asText();
        assertThat(exampleId).matches(ULID_ID).isNotEqualTo("rec_01HXEXAMPLE");
        assertThat(example.json().path("tenant_id").asText()).isEqualTo("acme"); // stamped from the token
        assertThat(example.json().path("app_id").isNull()).isTrue();
        assertThat(example.json().path("created_by").asText()).isEqualTo("Mia Member");
        assertThat(example.json().path("created_at").asText()).isNotEqualTo("2026-01-01T00:00:00Z");
        assertThat(example.json().path("name").asText()).isEqualTo("policy");

        Resp doc = call(
                "POST",
                API,
                "acme-member",
                map(
                        "name",
                        "Acceptable use",
                        "description",
                        "What staff may do",
                        "category",
                        "hr",
                        "body",
                        "# Acceptable use\n\nBe kind.",
                        "version",
                        "1.2.0",
                        "owner_id",
                        "people-team",
                        "published_at",
                        "2026-11-01T09:00:00Z",
                        "next_review_at",
                        "2026-12-01T09:00:00Z",
                        "tags",
                        List.of("onboarding", "conduct"),
                        "source",
                        "edm",
                        "source_type",
                        "frontend"));
        assertThat(doc.status()).as(doc.text()).isEqualTo(201);
        JsonNode d = doc.json();
        documentId = d.path("id").asText();
        assertThat(d.path("category").asText()).isEqualTo("hr");
        assertThat(d.path("published_at").asText()).isEqualTo("2026-11-01T09:00:00Z");
        assertThat(d.path("next_review_at").asText()).isEqualTo("2026-12-01T09:00:00Z");
        assertThat(d.path("tags").findValuesAsText("")).isEmpty();
        assertThat(d.path("tags").get(1).asText()).isEqualTo("conduct");
        assertThat(d.path("source_type").asText()).isEqualTo("frontend");
        assertThat(d.path("status").asText()).isEqualTo("active");
        // the global scope has a policy named acceptable-use: the record gets a name of its own, not an override
        String yaml = file("policies/acme/acceptable-use-2.yaml");
        assertThat(yaml)
                .contains("type: document")
                .contains("category: hr")
                .contains("version: 1.2.0")
                .contains("nextReviewAt:")
                .contains("sourceType: frontend")
                .contains("- onboarding");
        assertThat(s.repository.latest().orElseThrow().author().name()).isEqualTo("Mia Member");

        Resp sla = call(
                "POST",
                API,
                "acme-member",
                map(
                        "name",
                        "P2 ticket SLA",
                        "applies_to",
                        List.of("incident", "bug"),
                        "priority",
                        "P2",
                        "first_response_minutes",
                        60,
                        "resolution_minutes",
                        480,
                        "business_hours_only",
                        true,
                        "status",
                        "inactive",
                        "category",
                        "operations"));
        assertThat(sla.status()).as(sla.text()).isEqualTo(201);
        slaId = sla.json().path("id").asText();
        assertThat(sla.json().path("first_response_minutes").asInt()).isEqualTo(60);
        assertThat(sla.json().path("business_hours_only").asBoolean()).isTrue();
        assertThat(sla.json().path("status").asText()).isEqualTo("inactive");
        assertThat(sla.json().path("body").isNull()).isTrue();
        assertThat(file("policies/acme/p2-ticket-sla.yaml"))
                .contains("type: sla")
                .contains("status: paused")
                .contains("firstResponseMinutes: 60");
    }

    @Test
    @Order(3)
    @DisplayName("a bad body answers in the seed's error shape with field details and writes nothing")
    void badBodies() {
        String before = head();
        Resp bad = call(
                "POST",
                API,
                "acme-member",
                map(
                        "name",
                        "Bad",
                        "category",
                        "legal",
                        "version",
                        "v1",
                        "published_at",
                        "yesterday",
                        "tags",
                        List.of("")));
        assertThat(bad.status()).as(bad.text()).isEqualTo(422);
        JsonNode e = bad.json().path("error");
        assertThat(e.path("status").asInt()).isEqualTo(422);
        assertThat(e.path("code").asText()).isEqualTo("validation_error");
        assertThat(e.path("details").findValuesAsText("field"))
                .contains("category", "version", "published_at", "tags[0]");
        Resp mixed = call("POST", API, "acme-member", map("priority", "P1", "body", "text"));
        assertThat(mixed.status()).isEqualTo(422);
        assertThat(mixed.json().at("/error/details/0/field").asText()).isEqualTo("body");
        Resp minutes = call("POST", API, "acme-member", map("priority", "P1", "first_response_minutes", 0));
        assertThat(minutes.status()).isEqualTo(422);
        assertThat(minutes.json().at("/error/details").findValuesAsText("field"))
                .contains("first_response_minutes");
        Resp unknown = call("POST", API, "acme-member", map("name", "x", "owner", "me"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().at("/error/details/0/field").asText()).isEqualTo("owner");
        Resp notJson = call("POST", API, "acme-member", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().at("/error/code").asText()).isEqualTo("bad_request");
        Resp reader = call("POST", API, "acme-runtime", map("name", "x"));
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.json().at("/error/code").asText()).isEqualTo("forbidden");
        assertThat(call("POST", API, null, map("name", "x")).status()).isEqualTo(401);
        assertThat(call("PATCH", API + "/" + documentId, "acme-member", map("priority", "P1"))
                        .status())
                .isEqualTo(422);
        assertThat(call("PATCH", API + "/" + documentId, "acme-runtime", map("version", "2.0.0"))
                        .status())
                .isEqualTo(403);
        assertThat(head()).isEqualTo(before);
    }

    @Test
    @Order(4)
    @DisplayName("get by id; another tenant's token gets 404 on read and write, and never sees the record in a list")
    void isolation() {
        assertThat(s.get(API + "/" + documentId, "acme-runtime")
                        .json()
                        .path("name")
                        .asText())
                .isEqualTo("Acceptable use");
        String before = head();
        Resp other = s.get(API + "/" + documentId, "globex-owner");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().at("/error/code").asText()).isEqualTo("not_found");
        assertThat(call("PATCH", API + "/" + documentId, "globex-owner", map("version", "9.9.9"))
                        .status())
                .isEqualTo(404);
        assertThat(call("POST", API + "/" + documentId + "/complete", "globex-owner", null)
                        .status())
                .isEqualTo(404);
        assertThat(s.get(API + "?include_deleted=true", "globex-owner")
                        .json()
                        .path("data")
                        .findValuesAsText("id"))
                .doesNotContain(documentId, slaId, exampleId);
        assertThat(head()).isEqualTo(before);
        assertThat(s.get(API + "/per_01HXEXAMPLE", "acme-runtime").status()).isEqualTo(404);
        assertThat(s.get(API + "/" + documentId.replace("per_", "rec_"), "acme-runtime")
                        .status())
                .isEqualTo(404);
        // an unrestricted token names the tenant with a header
        assertThat(s.get(API, "root").status()).isEqualTo(400);
        assertThat(s.send("GET", API + "/" + documentId, "root", null, Map.of("X-Gavel-Tenant", "acme"))
                        .status())
                .isEqualTo(200);
        assertThat(s.send("GET", API + "/" + documentId, "root", null, Map.of("X-Tenant-Id", "globex"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    @Order(5)
    @DisplayName("update patches the fields given (null clears one) in one commit by the writer")
    void update() {
        Resp before = s.get(API + "/" + documentId, "acme-runtime");
        Resp r = call(
                "PATCH",
                API + "/" + documentId,
                "acme-owner",
                map("version", "1.3.0", "description", null, "tags", List.of("conduct"), "status", "inactive"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode d = r.json();
        assertThat(d.path("id").asText()).isEqualTo(documentId);
        assertThat(d.path("version").asText()).isEqualTo("1.3.0");
        assertThat(d.path("description").isNull()).isTrue();
        assertThat(d.path("tags")).hasSize(1);
        assertThat(d.path("status").asText()).isEqualTo("inactive");
        assertThat(d.path("updated_by").asText()).isEqualTo("Olga Owner");
        assertThat(d.path("created_by").asText()).isEqualTo("Mia Member");
        assertThat(d.path("created_at").asText())
                .isEqualTo(before.json().path("created_at").asText());
        assertThat(Instant.parse(d.path("updated_at").asText()))
                .isAfterOrEqualTo(Instant.parse(before.json().path("updated_at").asText()));
        assertThat(d.path("body").asText()).startsWith("# Acceptable use"); // untouched
        Resp sla = call("PATCH", API + "/" + slaId, "acme-member", map("resolution_minutes", 240, "status", "active"));
        assertThat(sla.json().path("resolution_minutes").asInt()).isEqualTo(240);
        assertThat(file("policies/acme/p2-ticket-sla.yaml"))
                .contains("resolutionMinutes: 240")
                .doesNotContain("paused");
    }

    @Test
    @Order(6)
    @DisplayName(
            "soft delete: owners only, stamped, out of default lists, still readable and in Git; restore undoes it")
    void softDelete() {
        assertThat(call("PATCH", API + "/" + exampleId, "acme-member", map("is_deleted", true))
                        .status())
                .isEqualTo(403);
        Resp del = call("PATCH", API + "/" + exampleId, "acme-owner", map("is_deleted", true));
        assertThat(del.status()).as(del.text()).isEqualTo(200);
        assertThat(del.json().path("is_deleted").asBoolean()).isTrue();
        assertThat(del.json().path("deleted_by").asText()).isEqualTo("Olga Owner");
        assertThat(Instant.parse(del.json().path("deleted_at").asText()))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(s.get(API, "acme-runtime").json().path("data").findValuesAsText("id"))
                .doesNotContain(exampleId);
        assertThat(s.get(API + "?include_deleted=true", "acme-runtime")
                        .json()
                        .path("data")
                        .findValuesAsText("id"))
                .contains(exampleId);
        assertThat(s.get(API + "?is_deleted=true", "acme-runtime")
                        .json()
                        .path("data")
                        .findValuesAsText("id"))
                .containsExactly(exampleId);
        assertThat(s.get(API + "/" + exampleId, "acme-runtime")
                        .json()
                        .path("is_deleted")
                        .asBoolean())
                .isTrue();
        assertThat(file("policies/acme/policy.yaml")).contains("deleted:").contains("by: Olga Owner");
        assertThat(call("POST", API + "/" + exampleId + "/complete", "acme-member", null)
                        .status())
                .isEqualTo(409);
        Resp restored = call("PATCH", API + "/" + exampleId, "acme-owner", map("is_deleted", false));
        assertThat(restored.json().path("is_deleted").asBoolean()).isFalse();
        assertThat(restored.json().path("deleted_at").isNull()).isTrue();
        assertThat(s.get(API, "acme-runtime").json().path("data").findValuesAsText("id"))
                .contains(exampleId);
        assertThat(call("PATCH", API + "/" + exampleId, "acme-owner", map("is_deleted", true))
                        .status())
                .isEqualTo(200);
    }

    @Test
    @Order(7)
    @DisplayName("complete records the review: the next one follows from the cadence, or the date given")
    void complete() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String card = find(s.get(API, "acme-runtime").json().path("data"), "acme model card standard")
                .path("id")
                .asText();
        Resp c = call("POST", API + "/" + card + "/complete", "acme-member", null);
        assertThat(c.status()).as(c.text()).isEqualTo(200);
        assertThat(c.json().path("next_review_at").asText())
                .isEqualTo(today.plusYears(1)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC)
                        .toString());
        assertThat(file("policies/acme/model-card-standard.yaml")).contains("lastReviewed: " + today);
        // the hand-set due date is met; without a cadence nothing is due until a date is given
        Resp d = call("POST", API + "/" + documentId + "/complete", "acme-member", null);
        assertThat(d.json().path("next_review_at").isNull()).isTrue();
        Resp given = call(
                "POST",
                API + "/" + documentId + "/complete",
                "acme-member",
                map("next_review_at", "2027-06-01T00:00:00Z"));
        assertThat(given.json().path("next_review_at").asText()).isEqualTo("2027-06-01T00:00:00Z");
        String before = head();
        Resp bad = call("POST", API + "/" + documentId + "/complete", "acme-member", map("next_review_at", "soon"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().at("/error/details/0/field").asText()).isEqualTo("next_review_at");
        assertThat(call("POST", API + "/" + documentId + "/complete", "acme-runtime", null)
                        .status())
                .isEqualTo(403);
        assertThat(head()).isEqualTo(before);
    }

    @Test
    @Order(8)
    @DisplayName("filters, search, sort and cursor pages: every record once, in order, the total on each page")
    void pagesAndFilters() {
        assertThat(s.get(API + "?category=hr", "acme-runtime")
                        .json()
                        .path("data")
                        .findValuesAsText("id"))
                .containsExactly(documentId);
        assertThat(s.get(API + "?q=BE+KIND", "acme-runtime").json().path("data").findValuesAsText("id"))
                .containsExactly(documentId);
        assertThat(s.get(API + "?priority=P2", "acme-runtime")
                        .json()
                        .path("data")
                        .findValuesAsText("id"))
                .containsExactly(slaId);
        assertThat(s.get(API + "?tag=conduct&status=inactive", "acme-runtime")
                        .json()
                        .path("total")
                        .asInt())
                .isEqualTo(1);
        assertThat(s.get(API + "?app_id=chat", "acme-runtime")
                        .json()
                        .path("data")
                        .findValuesAsText("app_id"))
                .isNotEmpty()
                .containsOnly("chat");
        JsonNode all = s.get(API + "?sort=-name&limit=200", "acme-runtime").json();
        List<String> names = all.path("data").findValuesAsText("name");
        List<String> sorted = new ArrayList<>(names);
        sorted.sort((a, b) -> b.toLowerCase(Locale.ROOT).compareTo(a.toLowerCase(Locale.ROOT)));
        assertThat(names).isEqualTo(sorted);
        int total = all.path("total").asInt();
        assertThat(total).isGreaterThan(3);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Resp p = s.get(API + "?sort=-name&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), "acme-runtime");
            assertThat(p.status()).as(p.text()).isEqualTo(200);
            assertThat(p.json().path("total").asInt()).isEqualTo(total);
            p.json().path("data").forEach(r -> seen.add(r.path("name").asText()));
            cursor = p.json().path("has_more").asBoolean()
                    ? p.json().path("next_cursor").asText()
                    : null;
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(seen).isEqualTo(names);
        assertThat(pages).isEqualTo((total + 1) / 2);

        String first = s.get(API + "?limit=2", "acme-runtime")
                .json()
                .path("next_cursor")
                .asText();
        Resp moved = s.get(API + "?limit=2&sort=name&cursor=" + first, "acme-runtime");
        assertThat(moved.status()).isEqualTo(400);
        assertThat(moved.json().at("/error/details/0/field").asText()).isEqualTo("cursor");
        assertThat(s.get(API + "?limit=0", "acme-runtime").status()).isEqualTo(400);
        assertThat(s.get(API + "?limit=201", "acme-runtime").status()).isEqualTo(400);
        assertThat(s.get(API + "?category=legal", "acme-runtime").status()).isEqualTo(400);
        assertThat(s.get(API + "?sort=owner", "acme-runtime").status()).isEqualTo(400);
    }

    @Test
    @Order(9)
    @DisplayName("openapi.json describes exactly the face's routes, and every answer above matched it")
    void document() {
        JsonNode doc = s.get(CpodFace.BASE + "/openapi.json", null).json();
        Set<String> documented = new HashSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue()
                        .fieldNames()
                        .forEachRemaining(
                                m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + CpodFace.BASE + p.getKey())));
        Set<String> registered = new HashSet<>(s.server.registeredRoutes());
        registered.removeIf(r -> !r.contains(" " + CpodFace.BASE + "/") || r.endsWith("/openapi.json"));
        assertThat(documented).hasSize(5).isEqualTo(registered);
        assertThat(s.validatedOperations).hasSizeGreaterThan(20);
        assertThat(doc.path("openapi").asText()).startsWith("3.0");
    }
}
