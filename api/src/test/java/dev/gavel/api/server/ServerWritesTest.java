package dev.gavel.api.server;

import static dev.gavel.api.server.ServerReadsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.server.ServerFixture.Resp;
import dev.gavel.store.git.CommitInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes through the API against one real server: each test works on its own policies so they do not
 * depend on each other's order. A write answers after its commit is served, so reads follow at once.
 */
class ServerWritesTest {
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

    static String doc(String name, String enforcement, int total) {
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: " + name + "\n  displayName: " + name
                + " limits\n"
                + "  labels: {team: writes}\nspec:\n  type: maxTokens\n  enforcement: " + enforcement + "\n"
                + "  settings:\n    total: " + total + "   # a comment kept as sent\n";
    }

    String head() {
        return f.repository.head().orElseThrow();
    }

    @Test
    @DisplayName("create commits the YAML as sent, is served at once, and a second create is 409 with nothing written")
    void create() {
        Resp r = f.send(
                "POST",
                "/api/v1/scopes/acme.chat/policies",
                "editor",
                doc("created-one", "warn", 100),
                "Content-Type",
                "application/yaml",
                "X-Gavel-Message",
                "Add created-one for the test");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.header("Location")).contains("/api/v1/scopes/acme.chat/policies/created-one");
        String commit = r.json().path("commit").asText();
        assertThat(commit).isEqualTo(head());
        CommitInfo c = f.repository.latest().orElseThrow();
        assertThat(c.author().name()).isEqualTo("Ed Itor");
        assertThat(c.message().strip()).isEqualTo("Add created-one for the test");
        Resp read = f.get("/api/v1/scopes/acme.chat/policies/created-one", "reader");
        assertThat(read.json().path("source").asText()).contains("# a comment kept as sent");
        assertThat(read.json().path("commit").asText()).isEqualTo(commit);
        assertThat(f.get("/api/v1/status", "reader").json().at("/served/commit").asText())
                .isEqualTo(commit);

        Resp again = f.send("POST", "/api/v1/scopes/acme.chat/policies", "editor", doc("created-one", "warn", 5));
        assertProblem(again, 409);
        assertThat(head()).isEqualTo(commit);
    }

    static double metric(String name) {
        for (String line : f.get("/metrics", null).text().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name);
    }

    @Test
    @DisplayName("a write serves the snapshot it compiled to validate the change: no second compile after the commit")
    void writeServesItsValidatedSnapshot() {
        // A compile left over from an earlier test's commits may still land during one attempt: retry a few
        // times; before this change every write compiled its commit again, so no attempt could pass.
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            double compilesBefore = metric("gavel_snapshot_compile_seconds_count");
            double reloadsBefore = metric("gavel_snapshot_reloads_total");
            String name = "served-once-" + i;
            Resp r = f.send("PUT", "/api/v1/scopes/globex/policies/" + name, "editor", doc(name, "block", 7));
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            String commit = r.json().path("commit").asText();
            assertThat(f.get("/api/v1/status", "reader")
                            .json()
                            .at("/served/commit")
                            .asText())
                    .isEqualTo(commit);
            double compiles = metric("gavel_snapshot_compile_seconds_count") - compilesBefore;
            double reloads = metric("gavel_snapshot_reloads_total") - reloadsBefore;
            if (compiles == 0 && reloads == 1) {
                return;
            }
            attempts.add("compiles +" + compiles + ", reloads +" + reloads);
        }
        throw new AssertionError("every write compiled its commit again: " + attempts);
    }

    @Test
    @DisplayName("PUT honours If-Match: the current ETag updates, a stale one is 412 and writes nothing")
    void putIfMatch() {
        Resp created = f.send("PUT", "/api/v1/scopes/globex/policies/put-one", "editor", doc("put-one", "audit", 10));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String etag = created.header("ETag").orElseThrow();
        assertThat(f.repository.latest().orElseThrow().message()).contains("globex/put-one via API");

        Resp updated = f.send(
                "PUT",
                "/api/v1/scopes/globex/policies/put-one",
                "editor",
                doc("put-one", "audit", 20),
                "If-Match",
                etag);
        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        String after = head();
        assertThat(f.get("/api/v1/scopes/globex/policies/put-one", "reader")
                        .json()
                        .at("/policy/spec/settings/total")
                        .asInt())
                .isEqualTo(20);

        assertProblem(
                f.send(
                        "PUT",
                        "/api/v1/scopes/globex/policies/put-one",
                        "editor",
                        doc("put-one", "audit", 30),
                        "If-Match",
                        etag),
                412);
        assertThat(head()).isEqualTo(after);
    }

    @Test
    @DisplayName("an invalid document is 422 with file, line and column; a valid file that breaks the repository too")
    void invalidWritesAre422() {
        String before = head();
        Resp bad = f.send("PUT", "/api/v1/scopes/acme/policies/bad-one", "editor", doc("bad-one", "blok", 1));
        assertProblem(bad, 422);
        JsonNode e = bad.json().at("/errors/0");
        assertThat(e.path("field").asText()).isEqualTo("spec.enforcement");
        assertThat(e.path("file").asText()).isEqualTo("policies/acme/bad-one.yaml");
        assertThat(e.path("line").asInt()).isEqualTo(9);
        assertThat(e.path("column").asInt()).isPositive();
        assertProblem(
                f.send("PUT", "/api/v1/scopes/acme/policies/other-name", "editor", doc("bad-one", "warn", 1)), 422);

        // Alone this file is valid; over the locked global policy it is not.
        String override = "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: no-sanctioned-regions\nspec:\n"
                + "  type: custom\n  enforcement: warn\n  rules:\n    - name: sanctioned-country\n      when: action == \"x\"\n"
                + "      effect: deny\n      message: m\n";
        Resp locked = f.send("POST", "/api/v1/scopes/acme/policies", "editor", override);
        assertProblem(locked, 422);
        assertThat(locked.text()).contains("no-sanctioned-regions");
        assertProblem(f.send("PUT", "/api/v1/scopes/acme/policies/x1", "editor", ""), 400);
        assertProblem(f.send("PATCH", "/api/v1/scopes/acme/policies/token-limits", "editor", "{not json"), 400);
        assertThat(head()).isEqualTo(before);
    }

    @Test
    @DisplayName("PATCH is a JSON merge patch: one setting, one rule by name; renaming is 400, a bad value 422")
    void patch() {
        f.send(
                "PUT",
                "/api/v1/scopes/acme.search/policies/patch-one",
                "editor",
                "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: patch-one\nspec:\n  type: custom\n  enforcement: warn\n"
                        + "  rules:\n    - {name: r1, when: 'action == \"a\"', effect: deny, message: one}\n"
                        + "    - {name: r2, when: 'action == \"b\"', effect: warn, message: two}\n");
        Resp p1 = f.send(
                "PATCH",
                "/api/v1/scopes/acme.search/policies/patch-one",
                "editor",
                "{\"metadata\": {\"displayName\": \"Patched\"}, \"spec\": {\"rules\": {\"r2\": {\"message\": \"changed\"}}}}",
                "Content-Type",
                "application/merge-patch+json");
        assertThat(p1.status()).as(p1.text()).isEqualTo(200);
        JsonNode pol = f.get("/api/v1/scopes/acme.search/policies/patch-one", "reader")
                .json()
                .path("policy");
        assertThat(pol.at("/metadata/displayName").asText()).isEqualTo("Patched");
        assertThat(pol.at("/spec/rules/0/message").asText()).isEqualTo("one");
        assertThat(pol.at("/spec/rules/1/message").asText()).isEqualTo("changed");
        assertThat(pol.at("/spec/rules/1/when").asText()).isEqualTo("action == \"b\"");

        Resp p2 = f.send(
                "PATCH",
                "/api/v1/scopes/acme/policies/token-limits",
                "editor",
                "{\"spec\":{\"settings\":{\"total\":1234}}}");
        assertThat(p2.status()).as(p2.text()).isEqualTo(200);
        assertThat(f.get("/api/v1/scopes/acme/resolved", "reader").text()).contains("1234");

        String before = head();
        assertProblem(
                f.send(
                        "PATCH",
                        "/api/v1/scopes/acme/policies/token-limits",
                        "editor",
                        "{\"metadata\":{\"name\":\"x\"}}"),
                400);
        assertProblem(
                f.send(
                        "PATCH",
                        "/api/v1/scopes/acme/policies/token-limits",
                        "editor",
                        "{\"spec\":{\"enforcement\":\"blok\"}}"),
                422);
        assertProblem(f.send("PATCH", "/api/v1/scopes/acme/policies/nothing-here", "editor", "{}"), 404);
        assertThat(head()).isEqualTo(before);
    }

    @Test
    @DisplayName("DELETE needs admin, answers 204, and the policy is gone from reads")
    void delete() {
        f.send("PUT", "/api/v1/scopes/globex/policies/delete-one", "editor", doc("delete-one", "off", 1));
        assertProblem(f.send("DELETE", "/api/v1/scopes/globex/policies/delete-one", "editor", null), 403);
        Resp r = f.send("DELETE", "/api/v1/scopes/globex/policies/delete-one", "admin", null);
        assertThat(r.status()).isEqualTo(204);
        assertProblem(f.get("/api/v1/scopes/globex/policies/delete-one", "reader"), 404);
        assertProblem(f.send("DELETE", "/api/v1/scopes/globex/policies/delete-one", "admin", null), 404);
    }

    @Test
    @DisplayName("lifecycle: promote to block then 409, demote, deactivate, activate, review records today")
    void lifecycle() {
        String base = "/api/v1/scopes/acme.chat.support-bot/policies/life-one";
        f.send("PUT", base, "editor", doc("life-one", "audit", 1));
        assertThat(f.send("POST", base + "/promote", "editor", null)
                        .json()
                        .at("/policy/policy/spec/enforcement")
                        .asText())
                .isEqualTo("warn");
        f.send("POST", base + "/promote", "editor", null);
        assertThat(f.get(base, "reader").json().at("/policy/spec/enforcement").asText())
                .isEqualTo("block");
        String before = head();
        assertProblem(f.send("POST", base + "/promote", "editor", null), 409);
        assertThat(head()).isEqualTo(before);
        f.send("POST", base + "/demote", "editor", null);
        assertThat(f.get(base, "reader").json().at("/policy/spec/enforcement").asText())
                .isEqualTo("warn");
        f.send("POST", base + "/deactivate", "editor", null);
        assertThat(f.get(base, "reader").json().at("/policy/spec/status").asText())
                .isEqualTo("paused");
        f.send("POST", base + "/activate", "editor", null);
        assertThat(f.get(base, "reader").json().at("/policy/spec/status").isMissingNode())
                .isTrue();
        f.send("POST", base + "/review", "editor", null);
        assertThat(f.get(base, "reader")
                        .json()
                        .at("/policy/metadata/lastReviewed")
                        .asText())
                .isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertProblem(f.send("POST", base + "/promote", "editor", null, "If-Match", "\"0000\""), 412);
    }

    @Test
    @DisplayName("rollback restores a scope's files as of a version, in a new commit")
    void rollback() {
        String scope = "/api/v1/scopes/globex.app/policies";
        f.send("PUT", scope + "/roll-one", "editor", doc("roll-one", "audit", 1));
        int v1 = f.get("/api/v1/scopes/globex.app/history", "reader")
                .json()
                .at("/data/0/version")
                .asInt();
        f.send("PUT", scope + "/roll-one", "editor", doc("roll-one", "audit", 2));
        f.send("PUT", scope + "/roll-two", "editor", doc("roll-two", "audit", 3));
        Resp r = f.send("POST", "/api/v1/scopes/globex.app/rollback/" + v1, "admin", null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(f.get(scope + "/roll-one", "reader")
                        .json()
                        .at("/policy/spec/settings/total")
                        .asInt())
                .isEqualTo(1);
        assertProblem(f.get(scope + "/roll-two", "reader"), 404);
        assertProblem(f.send("POST", "/api/v1/scopes/globex.app/rollback/999", "admin", null), 404);
    }

    @Test
    @DisplayName("revert undoes one commit; reverting it again is 409")
    void revert() {
        f.send("PUT", "/api/v1/scopes/globex/policies/revert-one", "editor", doc("revert-one", "audit", 1));
        Resp change =
                f.send("PUT", "/api/v1/scopes/globex/policies/revert-one", "editor", doc("revert-one", "audit", 2));
        String commit = change.json().path("commit").asText();
        Resp r = f.send("POST", "/api/v1/commits/" + commit + "/revert", "admin", null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(f.repository.latest().orElseThrow().message()).contains("This reverts commit " + commit);
        assertThat(f.get("/api/v1/scopes/globex/policies/revert-one", "reader")
                        .json()
                        .at("/policy/spec/settings/total")
                        .asInt())
                .isEqualTo(1);
        assertProblem(f.send("POST", "/api/v1/commits/" + commit + "/revert", "admin", null), 409);
    }

    @Test
    @DisplayName("pause-all and resume-all are one commit each and reach every policy")
    void pauseAndResumeAll() {
        String before = head();
        Resp p = f.send("POST", "/api/v1/pause-all", "admin", null);
        assertThat(p.status()).as(p.text()).isEqualTo(200);
        assertThat(f.repository.latest().orElseThrow().parents()).containsExactly(before);
        assertThat(f.get("/api/v1/policies?status=active", "reader")
                        .json()
                        .at("/meta/total")
                        .asInt())
                .isZero();
        Resp r = f.send("POST", "/api/v1/resume-all", "admin", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(f.get("/api/v1/policies?status=paused", "reader")
                        .json()
                        .at("/meta/total")
                        .asInt())
                .isZero();
    }

    @Test
    @DisplayName("a tenant-limited editor writes in its tenant, and another tenant's scope is 404")
    void tenantWrites() {
        assertThat(f.send("PUT", "/api/v1/scopes/acme/policies/tenant-one", "acme-editor", doc("tenant-one", "off", 1))
                        .status())
                .isEqualTo(201);
        assertThat(f.repository.latest().orElseThrow().author().name()).isEqualTo("acme-ci");
        assertProblem(
                f.send("PUT", "/api/v1/scopes/globex/policies/tenant-one", "acme-editor", doc("tenant-one", "off", 1)),
                404);
    }

    @Test
    @DisplayName("a write rebuilt on another writer's commit serves what the branch holds, that commit's policy"
            + " included, not the snapshot it validated (which lacks it)")
    void rebuiltWriteServesTheBranch() throws Exception {
        // Start from a served head: a compile left over from an earlier test would hide the defect.
        for (int i = 0; i < 100; i++) {
            if (head().equals(f.get("/api/v1/status", "reader")
                    .json()
                    .at("/served/commit")
                    .asText())) {
                break;
            }
            Thread.sleep(100);
        }
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        try (dev.gavel.store.git.GitPolicyRepository other =
                dev.gavel.store.git.GitPolicyRepository.open(f.repoDir, "main")) {
            f.repository.beforePublish(() -> {
                if (once.compareAndSet(false, true)) { // another writer moves the branch first
                    other.commit(
                            dev.gavel.store.git.ChangeSet.put(
                                    "policies/acme/chat/from-other.yaml",
                                    doc("from-other", "audit", 7).getBytes(StandardCharsets.UTF_8)),
                            new dev.gavel.store.git.Author("Other", "other@example.com"),
                            "from another writer");
                }
            });
            try {
                assertThat(f.send(
                                        "PUT",
                                        "/api/v1/scopes/acme.chat/policies/rebuilt",
                                        "editor",
                                        doc("rebuilt", "audit", 5))
                                .status())
                        .isEqualTo(201);
            } finally {
                f.repository.beforePublish(() -> {});
            }
        }
        assertThat(once).isTrue();
        Thread.sleep(500); // five polls: a head already labelled served is never compiled again
        // the served snapshot (not the files at head, which a policy read shows) holds both policies
        for (String name : List.of("from-other", "rebuilt")) {
            assertThat(f.get("/api/v1/policies?scope=acme.chat&q=" + name, "reader")
                            .json()
                            .at("/meta/total")
                            .asInt())
                    .as(name)
                    .isEqualTo(1);
        }
    }

    @Test
    @DisplayName("8 concurrent writers to different policies all commit; no update is lost")
    void concurrentWriters() throws Exception {
        int before = f.repository.commits(0, 1).total();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "concurrent-" + i;
                int total = 1000 + i;
                results.add(pool.submit((Callable<Integer>) () -> f.send(
                                "PUT", "/api/v1/scopes/acme.chat/policies/" + name, "editor", doc(name, "audit", total))
                        .status()));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(f.repository.commits(0, 1).total()).isEqualTo(before + 8);
        String h = head();
        for (int i = 0; i < 8; i++) {
            byte[] file = f.repository
                    .fileAt(h, "policies/acme/chat/concurrent-" + i + ".yaml")
                    .orElseThrow();
            assertThat(new String(file, StandardCharsets.UTF_8)).contains("total: " + (1000 + i));
        }
        assertThat(f.get("/api/v1/policies?scope=acme.chat&q=concurrent", "reader")
                        .json()
                        .at("/meta/total")
                        .asInt())
                .isEqualTo(8);
    }

    @Test
    @DisplayName("a 2 MiB policy body is 413 and writes nothing")
    void tooLargeWrite() {
        String before = head();
        byte[] big = new byte[2 << 20];
        java.util.Arrays.fill(big, (byte) '#');
        assertProblem(f.sendBytes("PUT", "/api/v1/scopes/acme/policies/big-one", "editor", big), 413);
        assertThat(head()).isEqualTo(before);
    }
}
