package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/me and /api/v1/scopes (what the web console needs before its first page), over the template. */
class ScopeTreeRouteTest {
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

    static Map<String, JsonNode> byScope(JsonNode tree) {
        Map<String, JsonNode> out = new TreeMap<>();
        tree.path("data").forEach(n -> out.put(n.path("scope").asText(), n));
        return out;
    }

    @Test
    @DisplayName("/me names the token's principal, role and tenants (null when it sees every tenant)")
    void me() {
        JsonNode admin = f.get("/api/v1/me", "admin").json();
        assertThat(admin.path("name").asText()).isEqualTo("admin");
        assertThat(admin.path("role").asText()).isEqualTo("admin");
        assertThat(admin.path("tenants").isNull()).isTrue();
        JsonNode globex = f.get("/api/v1/me", "globex-reader").json();
        assertThat(globex.path("role").asText()).isEqualTo("reader");
        assertThat(globex.path("tenants").toString()).isEqualTo("[\"globex\"]");
        assertThat(f.get("/api/v1/me", null).status()).isEqualTo(401);
    }

    @Test
    @DisplayName("/scopes counts the policies defined at and below each scope, parents first, as the list does")
    void countsMatchTheList() {
        JsonNode tree = f.get("/api/v1/scopes", "reader").json();
        assertThat(tree.path("commit").asText()).isEqualTo(f.repository.head().orElseThrow());
        Map<String, JsonNode> scopes = byScope(tree);
        assertThat(scopes)
                .containsKeys("", "acme", "acme.chat", "acme.chat.support-bot", "acme.chat.support-bot.prod", "globex");
        int total = f.get("/api/v1/policies?limit=1", "reader")
                .json()
                .at("/meta/total")
                .asInt();
        assertThat(scopes.get("").path("policiesBelow").asInt()).isEqualTo(total);
        assertThat(scopes.get("").path("level").asText()).isEqualTo("global");
        assertThat(scopes.get("acme").path("level").asText()).isEqualTo("tenant");
        for (JsonNode n : scopes.values()) {
            String url =
                    n.path("scope").asText().isEmpty() ? "_" : n.path("scope").asText();
            int defined = f.get("/api/v1/scopes/" + url + "/policies", "reader")
                    .json()
                    .path("data")
                    .size();
            assertThat(n.path("policies").asInt()).as(url).isEqualTo(defined);
            assertThat(n.path("policiesBelow").asInt()).as(url).isGreaterThanOrEqualTo(defined);
        }
        List<String> order = new ArrayList<>();
        tree.path("data").forEach(n -> order.add(n.path("scope").asText()));
        for (int i = 1; i < order.size(); i++) {
            String s = order.get(i);
            String parent = s.contains(".") ? s.substring(0, s.lastIndexOf('.')) : "";
            assertThat(order.subList(0, i)).as(s + " after its parent").contains(parent);
        }
    }

    @Test
    @DisplayName("a tenant-limited token's tree holds the global scope and its tenant only")
    void tenantSeesItsTenant() {
        Map<String, JsonNode> scopes =
                byScope(f.get("/api/v1/scopes", "globex-reader").json());
        assertThat(scopes.keySet()).allMatch(s -> s.isEmpty() || s.equals("globex") || s.startsWith("globex."));
        assertThat(scopes).containsKey("globex");
        int globalDefined = scopes.get("").path("policies").asInt();
        int globexBelow = scopes.get("globex").path("policiesBelow").asInt();
        assertThat(scopes.get("").path("policiesBelow").asInt()).isEqualTo(globalDefined + globexBelow);
    }
}
