package dev.gavel.api.server;

import static dev.gavel.api.server.GitDaemon.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.auth.ApiKeyStore;
import dev.gavel.api.auth.AuthConfig;
import dev.gavel.api.auth.BearerAuthenticator;
import dev.gavel.api.auth.FleetKeys;
import dev.gavel.api.auth.IssuedApiKey;
import dev.gavel.api.auth.Role;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * Three real replicas (each its own clone, data directory, key file and HTTP server) on one {@code git daemon}
 * remote on 127.0.0.1. One fleet for the class (start-up is the expensive part); the remote-down test runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTest {
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration MAX_STALENESS = Duration.ofSeconds(2);
    /**
     * Bound on convergence in these tests: generous, because the CI machine is shared and timed tests prove little.
     * The figures (poll + 300 ms, keys within 2 s) are measured by bench/.../FleetFigures, not asserted here.
     */
    static final Duration CONVERGE = Duration.ofSeconds(15);

    @TempDir
    static Path tmp;

    record Replica(
            String name,
            Path data,
            GitPolicyRepository repo,
            ApiKeyStore keys,
            FleetKeys fleetKeys,
            GavelServer server) {
        String base() {
            return "http://127.0.0.1:" + server.port();
        }

        Optional<String> served() {
            return server.snapshots().current().map(PolicySnapshot::commit);
        }
    }

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Path remote;
    GitDaemon daemon;
    List<Replica> replicas = new ArrayList<>();
    String admin;

    @BeforeAll
    void startFleet() throws Exception {
        Path root = tmp.resolve("remote");
        remote = root.resolve("policies.git");
        ServerFixture.templateRepo(remote).close();
        daemon = GitDaemon.start(root);
        for (String name : List.of("a", "b", "c")) {
            Path data = tmp.resolve(name);
            GitPolicyRepository repo =
                    GitPolicyRepository.cloneRemote(daemon.url("policies.git"), data.resolve("clone"), "main");
            ApiKeyStore keys = ApiKeyStore.open(data, Duration.ofMillis(50));
            if (name.equals("a")) {
                keys.ensureAdminKey();
                admin = Files.readString(keys.adminTokenFile()).strip();
            }
            FleetKeys fleetKeys = FleetKeys.start(keys, repo, POLL);
            ServerOptions options = ServerOptions.defaults()
                    .withPort(0)
                    .withPoll(POLL)
                    .withMaxStaleness(MAX_STALENESS)
                    .withFenceWait(Duration.ofSeconds(5));
            GavelServer server =
                    new GavelServer(repo, BearerAuthenticator.of(keys, AuthConfig.apiKeysOnly(data)), options).start();
            replicas.add(new Replica(name, data, repo, keys, fleetKeys, server));
        }
        for (Replica r : replicas) {
            assertThat(eventually(
                            CONVERGE,
                            () -> send(r, "GET", "/api/v1/status", admin, null).status() == 200))
                    .as("replica a's admin key works on %s", r.name())
                    .isTrue();
        }
    }

    @AfterAll
    void stopFleet() throws Exception {
        for (Replica r : replicas) {
            r.server().close();
            r.fleetKeys().close();
            r.repo().close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    // ------------------------------------------------------------------------------------------------------- tests

    @Test
    @Order(1)
    @DisplayName(
            "3 x 50 concurrent writes through three replicas: every acknowledged write is on the remote, none is a 500")
    void concurrentWritesLoseNothing() throws Exception {
        int perReplica = Integer.getInteger("gavel.fleet.writesPerReplica", 50); // the 3 x 50
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(9);
        List<Future<?>> done = new ArrayList<>();
        for (Replica r : replicas) {
            for (int t = 0; t < 3; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = thread; i < perReplica; i += 3) {
                        String name = "w-" + r.name() + "-" + i;
                        ServerFixture.Resp resp = send(
                                r,
                                "PUT",
                                "/api/v1/scopes/globex/policies/" + name,
                                admin,
                                document(name, "v1"),
                                "Content-Type",
                                "application/yaml");
                        statuses.merge(resp.status(), 1, Integer::sum);
                        if (resp.status() != 201) {
                            refusals.add(resp.status() + " " + resp.text());
                        }
                        if (resp.status() == 201) {
                            acknowledged.put(name, resp.json().path("commit").asText());
                            assertThat(resp.header(ReadFence.COMMIT_HEADER))
                                    .contains(resp.json().path("commit").asText());
                        }
                    }
                }));
            }
        }
        for (Future<?> f : done) {
            f.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(statuses)
                .as("statuses of the writes; refusals: %s", refusals)
                .containsOnlyKeys(201);
        assertThat(acknowledged).hasSize(3 * perReplica);

        Set<String> onRemote = Set.of(git(remote, "ls-tree", "-r", "--name-only", "main", "policies/globex")
                .split("\n"));
        Set<String> remoteCommits = Set.of(git(remote, "rev-list", "main").split("\n"));
        acknowledged.forEach((name, commit) -> {
            assertThat(onRemote).contains("policies/globex/" + name + ".yaml");
            assertThat(remoteCommits).as("the commit acknowledged for %s", name).contains(commit);
        });
        String head = remoteHead();
        for (Replica r : replicas) {
            assertThat(r.repo().head())
                    .as("%s's branch is never ahead of the remote", r.name())
                    .hasValueSatisfying(h -> assertThat(remoteCommits).contains(h));
            assertThat(eventually(CONVERGE, () -> r.served().equals(Optional.of(head))))
                    .as("%s converges on %s", r.name(), head)
                    .isTrue();
        }
    }

    @Test
    @Order(2)
    @DisplayName("concurrent read-modify-writes of one policy through three replicas with If-Match lose no update")
    void ifMatchLosesNoUpdate() throws Exception {
        String path = "/api/v1/scopes/acme/policies/token-limits";
        int before = remoteTotal();
        int perReplica = 2;
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> acked = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> done = new ArrayList<>();
        for (Replica r : replicas) {
            done.add(pool.submit(() -> {
                int ok = 0;
                for (int tries = 0; ok < perReplica && tries < 200; tries++) {
                    ServerFixture.Resp read = send(r, "GET", path, admin, null);
                    int total = read.json().at("/policy/spec/settings/total").asInt();
                    ServerFixture.Resp w = send(
                            r,
                            "PATCH",
                            path,
                            admin,
                            "{\"spec\":{\"settings\":{\"total\":" + (total + 1) + "}}}",
                            "Content-Type",
                            "application/merge-patch+json",
                            "If-Match",
                            read.header("ETag").orElseThrow());
                    statuses.merge(w.status(), 1, Integer::sum);
                    if (w.status() == 200) {
                        ok++;
                        acked.add(r.name() + " " + total + "->" + (total + 1) + " "
                                + w.json().path("commit").asText() + " if-match "
                                + read.header("ETag").orElseThrow() + " read at "
                                + read.header(ReadFence.COMMIT_HEADER).orElse("?"));
                    }
                }
                return ok;
            }));
        }
        int succeeded = 0;
        for (Future<Integer> f : done) {
            succeeded += f.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(succeeded).isEqualTo(3 * perReplica);
        assertThat(statuses.keySet())
                .as("only successes and refused stale writes")
                .isSubsetOf(Set.of(200, 409, 412));
        assertThat(remoteTotal())
                .as(
                        "every acknowledged increment is on the remote: %s; remote log %s",
                        acked,
                        git(remote, "log", "--format=%H %s", "-12", "main", "--", "policies/acme/token-limits.yaml"))
                .isEqualTo(before + succeeded);
        assertThat(remoteTotal())
                .as("every acknowledged increment is on the remote: no lost update")
                .isEqualTo(before + succeeded);
    }

    @Test
    @Order(3)
    @DisplayName(
            "a push made with the git CLI is served by all three replicas (the time is printed; bench/FleetFigures measures it)")
    void gitPushReachesEveryReplica() throws Exception {
        Path work = tmp.resolve("work");
        git(tmp, "clone", "-q", daemon.url("policies.git"), work.toString());
        Files.writeString(work.resolve("policies/globex/cli-pushed.yaml"), document("cli-pushed", "from the CLI"));
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", "Pushed with git");
        git(work, "push", "-q", "origin", "main");
        long pushed = System.nanoTime();
        String commit = git(work, "rev-parse", "HEAD").strip();
        for (Replica r : replicas) {
            assertThat(eventually(CONVERGE, () -> r.served().equals(Optional.of(commit))))
                    .as("%s serves the pushed commit", r.name())
                    .isTrue();
        }
        System.out.printf(
                "a git push reached all three replicas in %d ms (poll %d ms)%n",
                (System.nanoTime() - pushed) / 1_000_000, POLL.toMillis());
    }

    @Test
    @Order(4)
    @DisplayName(
            "a key created and a key revoked through replica A work (are refused) on B and C; only hashes are shared")
    void keysAreShared() throws Exception {
        IssuedApiKey created = replicas.get(0).keys().create(Role.READER, Optional.empty(), "fleet-reader");
        long start = System.nanoTime();
        for (Replica r : replicas.subList(1, 3)) {
            assertThat(eventually(
                            CONVERGE,
                            () -> send(r, "GET", "/api/v1/status", created.token(), null)
                                            .status()
                                    == 200))
                    .as("the new key works on %s after %d ms", r.name(), (System.nanoTime() - start) / 1_000_000)
                    .isTrue();
        }
        String shared = git(remote, "show", "refs/gavel/keys:" + FleetKeys.FILE);
        assertThat(shared)
                .contains(created.key().id())
                .contains("sha256:")
                .doesNotContain(created.token().substring(created.token().lastIndexOf('_') + 1));
        assertThat(git(remote, "ls-tree", "-r", "--name-only", "main")).doesNotContain(FleetKeys.FILE);

        assertThat(replicas.get(0).keys().revoke(created.key().id())).isTrue();
        for (Replica r : replicas.subList(1, 3)) {
            assertThat(eventually(
                            CONVERGE,
                            () -> send(r, "GET", "/api/v1/status", created.token(), null)
                                            .status()
                                    == 401))
                    .as("the revoked key is refused on %s", r.name())
                    .isTrue();
        }
        assertThat(send(replicas.get(2), "GET", "/api/v1/status", admin, null).status())
                .isEqualTo(200);
    }

    @Test
    @Order(5)
    @DisplayName("X-Gavel-Min-Commit: a write through A then a read through B with its token never sees the old state")
    void fencedReadsSeeTheWrite() {
        String path = "/api/v1/scopes/acme/policies/model-card-standard";
        for (int i = 0; i < 4; i++) {
            String version = "2.0." + i;
            ServerFixture.Resp w = send(
                    replicas.get(0),
                    "PATCH",
                    path,
                    admin,
                    "{\"spec\":{\"settings\":{\"version\":\"" + version + "\"}}}",
                    "Content-Type",
                    "application/merge-patch+json");
            assertThat(w.status()).as(w.text()).isEqualTo(200);
            String token = w.header(ReadFence.COMMIT_HEADER).orElseThrow();
            Replica reader = replicas.get(1 + i % 2);
            ServerFixture.Resp r = send(reader, "GET", path, admin, null, ReadFence.MIN_COMMIT_HEADER, token);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().at("/policy/spec/settings/version").asText())
                    .as("read through %s", reader.name())
                    .isEqualTo(version);
            assertThat(reader.repo()
                            .isAncestor(token, r.header(ReadFence.COMMIT_HEADER).orElseThrow()))
                    .isTrue();
        }
        // the branch version as the token: the same guarantee, the same number on every replica
        for (int i = 0; i < 2; i++) {
            String version = "3.0." + i;
            ServerFixture.Resp w = send(
                    replicas.get(2),
                    "PATCH",
                    path,
                    admin,
                    "{\"spec\":{\"settings\":{\"version\":\"" + version + "\"}}}",
                    "Content-Type",
                    "application/merge-patch+json");
            assertThat(w.status()).as(w.text()).isEqualTo(200);
            String v = w.header(ReadFence.VERSION_HEADER).orElseThrow();
            assertThat(Integer.parseInt(v))
                    .isEqualTo(replicas.get(2)
                            .repo()
                            .branchVersion(w.header(ReadFence.COMMIT_HEADER).orElseThrow())
                            .orElseThrow());
            ServerFixture.Resp r =
                    send(replicas.get(i), "GET", path, admin, null, ReadFence.MIN_COMMIT_HEADER, "v" + v);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().at("/policy/spec/settings/version").asText()).isEqualTo(version);
        }
        ServerFixture.Resp future =
                send(replicas.get(1), "GET", path, admin, null, ReadFence.MIN_COMMIT_HEADER, "v999999");
        assertThat(future.status()).isEqualTo(503);
        assertThat(send(replicas.get(1), "GET", path, admin, null, ReadFence.MIN_COMMIT_HEADER, "v0")
                        .status())
                .isEqualTo(400);
        assertThat(send(replicas.get(1), "GET", path, admin, null, ReadFence.MIN_COMMIT_HEADER, "not-a-sha")
                        .status())
                .isEqualTo(400);
        ServerFixture.Resp unknown = send(
                replicas.get(1),
                "GET",
                path,
                admin,
                null,
                ReadFence.MIN_COMMIT_HEADER,
                "0123456789abcdef0123456789abcdef01234567");
        assertThat(unknown.status()).isEqualTo(503);
        assertThat(unknown.header("Retry-After")).isPresent();
    }

    @Test
    @Order(5)
    @DisplayName(
            "gavel fleet status prints each replica side by side: exit 0 when they agree, 1 when one does not answer")
    void fleetStatusCommand() throws Exception {
        String head = remoteHead();
        for (Replica r : replicas) {
            assertThat(eventually(CONVERGE, () -> r.served().equals(Optional.of(head))))
                    .isTrue();
        }
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cmd = dev.gavel.api.cli.GavelCommand.commandLine();
        cmd.setOut(new java.io.PrintWriter(out, true));
        List<String> args = new ArrayList<>(List.of("fleet", "status"));
        replicas.forEach(r -> args.add(r.base()));
        assertThat(cmd.execute(args.toArray(String[]::new))).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains(head.substring(0, 12))
                .contains(replicas.get(2).base());

        java.io.StringWriter out2 = new java.io.StringWriter();
        picocli.CommandLine cmd2 = dev.gavel.api.cli.GavelCommand.commandLine();
        cmd2.setOut(new java.io.PrintWriter(out2, true));
        args.add("http://127.0.0.1:1");
        assertThat(cmd2.execute(args.toArray(String[]::new)))
                .as(out2.toString())
                .isEqualTo(1);
        assertThat(out2.toString()).contains("no answer");
    }

    @Test
    @Order(7)
    @DisplayName(
            "remote stopped: decisions from the last snapshot, status says unreachable since when, writes 503, /readyz fails after --max-staleness; back: writes work, all converge")
    void remoteDownAndBack() throws Exception {
        Replica a = replicas.get(0);
        Replica b = replicas.get(1);
        String headBefore = remoteHead();
        daemon.stop();
        try {
            ServerFixture.Resp decision =
                    send(b, "POST", "/api/v1/evaluate", admin, allowedRequest(), "Content-Type", "application/json");
            assertThat(decision.status()).as(decision.text()).isEqualTo(200);

            ServerFixture.Resp write = send(
                    a,
                    "PUT",
                    "/api/v1/scopes/globex/policies/while-down",
                    admin,
                    document("while-down", "x"),
                    "Content-Type",
                    "application/yaml");
            assertThat(write.status()).as(write.text()).isEqualTo(503);
            assertThat(write.header("Retry-After")).isPresent();
            assertThat(a.repo().head())
                    .as("nothing half-done: the local branch did not move")
                    .contains(headBefore);
            assertThat(a.repo().fileAt("HEAD", "policies/globex/while-down.yaml"))
                    .isEmpty();

            assertThat(eventually(
                            CONVERGE,
                            () -> !send(b, "GET", "/api/v1/status", admin, null)
                                    .json()
                                    .at("/remote/reachable")
                                    .asBoolean(true)))
                    .isTrue();
            JsonNode status = send(b, "GET", "/api/v1/status", admin, null).json();
            assertThat(status.at("/remote/unreachableSince").asText()).isNotEmpty();
            assertThat(status.at("/remote/lastError").asText()).isNotEmpty();
            assertThat(status.path("upToDate").asBoolean(true)).isFalse();

            assertThat(eventually(
                            MAX_STALENESS.plus(CONVERGE),
                            () -> send(b, "GET", "/readyz", null, null).status() == 503))
                    .isTrue();
            ServerFixture.Resp stale =
                    send(b, "POST", "/api/v1/evaluate", admin, allowedRequest(), "Content-Type", "application/json");
            assertThat(stale.status()).isEqualTo(200);
            assertThat(stale.header(ReadFence.STALE_HEADER)).isPresent();
        } finally {
            daemon.restart();
        }
        ServerFixture.Resp write = send(
                replicas.get(2),
                "PUT",
                "/api/v1/scopes/globex/policies/after-down",
                admin,
                document("after-down", "x"),
                "Content-Type",
                "application/yaml");
        assertThat(write.status()).as(write.text()).isEqualTo(201);
        String head = remoteHead();
        assertThat(head).isEqualTo(write.json().path("commit").asText());
        for (Replica r : replicas) {
            assertThat(eventually(
                            CONVERGE,
                            () -> r.served().equals(Optional.of(head))
                                    && send(r, "GET", "/readyz", null, null).status() == 200))
                    .as("%s converges and is ready", r.name())
                    .isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------------------- helpers

    static String document(String name, String body) {
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: " + name + "\nspec:\n  type: document\n"
                + "  enforcement: audit\n  settings:\n    version: 1.0.0\n    body: " + body + "\n";
    }

    static String allowedRequest() {
        return "{\"scope\":\"acme.chat\",\"resource\":{\"type\":\"model\",\"name\":\"m1\"},\"action\":\"invoke\","
                + "\"location\":{\"name\":\"eu-west-1\",\"country\":\"IE\",\"continent\":\"EU\"},"
                + "\"flavor\":{\"name\":\"c7i.large\",\"type\":\"cpu\"},\"tokens\":{\"input\":1000,\"output\":200}}";
    }

    String remoteHead() {
        return git(remote, "rev-parse", "main").strip();
    }

    int remoteTotal() {
        String yaml = git(remote, "show", "main:policies/acme/token-limits.yaml");
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("total: (\\d+)").matcher(yaml);
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    ServerFixture.Resp send(Replica r, String method, String path, String token, String body, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(r.base() + path)).timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new ServerFixture.Resp(resp.statusCode(), resp);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static boolean eventually(Duration limit, BooleanSupplier condition) throws InterruptedException {
        return ServerFixture.eventually(limit, condition);
    }
}
