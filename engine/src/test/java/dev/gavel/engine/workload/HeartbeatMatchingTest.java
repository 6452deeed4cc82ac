package dev.gavel.engine.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.compile.DrlOracle;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Heartbeat selectors compiled into Drools selection rules, and the governing choice among several. */
class HeartbeatMatchingTest {
    static final String POD_A = "11111111-1111-4111-8111-111111111111";
    static final String POD_B = "22222222-2222-4222-8222-222222222222";
    static final String JOB_A = "33333333-3333-4333-8333-333333333333";

    static String heartbeat(String name, String settings) {
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: " + name + "}\nspec:\n  type: heartbeat\n"
                + "  enforcement: audit\n  settings: " + settings + "\n";
    }

    static PolicySnapshot compile(String... pathsAndYaml) {
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < pathsAndYaml.length; i += 2) {
            files.put(pathsAndYaml[i], pathsAndYaml[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        CompileResult r = SnapshotCompiler.compile("c1", files);
        assertThat(r).as("diagnostics: %s", r.diagnostics()).isInstanceOf(CompileResult.Compiled.class);
        return ((CompileResult.Compiled) r).snapshot();
    }

    static Workload pod(String cluster, String id, String name, String namespace) {
        return new Workload(Workload.Kind.POD, cluster, id, name, namespace, Optional.empty(), Map.of());
    }

    static Workload job(String cluster, String id, String name, String namespace, long priority) {
        return new Workload(Workload.Kind.JOB, cluster, id, name, namespace, Optional.of(priority), Map.of());
    }

    static List<String> governing(PolicySnapshot snap, String tenant, Workload w) {
        return snap.heartbeats(w.toRequest(ScopePath.parse(tenant))).stream()
                .map(s -> s.policy() + "@" + s.definedAt().dotted() + ":"
                        + s.interval().orElse(-1L))
                .toList();
    }

    @Test
    @DisplayName("each selector narrows: resource type, cluster, ids, name, namespace, job filter")
    void selectors() {
        PolicySnapshot snap = compile(
                "policies/acme/all-pods.yaml", heartbeat("all-pods", "{interval: 300}"),
                "policies/acme/c1-pods.yaml", heartbeat("c1-pods", "{interval: 200, resource: pods, clusterId: c1}"),
                "policies/acme/one-pod.yaml",
                        heartbeat("one-pod", "{interval: 100, resource: pods, resourceIds: ['" + POD_A + "']}"),
                "policies/acme/named.yaml", heartbeat("named", "{interval: 90, resource: pods, resourceName: web}"),
                "policies/acme/ns.yaml", heartbeat("ns", "{interval: 80, resource: namespace, resourceName: batch}"),
                "policies/acme/jobs.yaml",
                        heartbeat(
                                "jobs", "{interval: 70, resource: jobs, jobFilter: {namespace: batch, priority: 5}}"));
        assertThat(governing(snap, "acme", pod("c1", POD_A, "api", "default")))
                .containsExactly("one-pod@acme:100", "c1-pods@acme:200", "all-pods@acme:300");
        assertThat(governing(snap, "acme", pod("c2", POD_B, "web", "default")))
                .containsExactly("named@acme:90", "all-pods@acme:300");
        assertThat(governing(snap, "acme", pod("c2", POD_B, "x", "batch")))
                .containsExactly("ns@acme:80", "all-pods@acme:300");
        assertThat(governing(snap, "acme", job("c1", JOB_A, "train", "batch", 5)))
                .containsExactly("jobs@acme:70");
        assertThat(governing(snap, "acme", job("c1", JOB_A, "train", "batch", 4)))
                .isEmpty();
        assertThat(governing(snap, "acme", job("c1", JOB_A, "train", "other", 5)))
                .isEmpty();
        // Another tenant's policies never select: its knowledge base is its own.
        assertThat(governing(snap, "globex", pod("c1", POD_A, "api", "default")))
                .isEmpty();
    }

    @Test
    @DisplayName("the nearest scope wins, then the shortest interval; an override of the same name replaces its parent")
    void governingOrder() {
        PolicySnapshot snap = compile(
                "policies/fleet.yaml", heartbeat("fleet", "{interval: 10, resource: pods}"),
                "policies/acme/slow.yaml", heartbeat("slow", "{interval: 600, resource: pods}"),
                "policies/acme/fast.yaml", heartbeat("fast", "{interval: 60, resource: pods}"),
                "policies/shared.yaml", heartbeat("shared", "{interval: 5, resource: pods}"),
                "policies/acme/shared.yaml", heartbeat("shared", "{interval: 900}"));
        assertThat(governing(snap, "acme", pod("c1", POD_A, "api", "default")))
                .containsExactly("fast@acme:60", "slow@acme:600", "shared@acme:900", "fleet@:10");
        assertThat(governing(snap, "globex", pod("c1", POD_A, "api", "default")))
                .containsExactly("shared@:5", "fleet@:10");
    }

    @Test
    @DisplayName("paused and off heartbeat policies select nothing; selections never change a decision")
    void pausedAndDecisions() {
        PolicySnapshot snap = compile(
                "policies/acme/paused.yaml",
                        heartbeat("paused", "{interval: 10}")
                                .replace("enforcement: audit", "enforcement: audit\n  status: paused"),
                "policies/acme/live.yaml",
                        heartbeat("live", "{interval: 20}").replace("enforcement: audit", "enforcement: block"));
        Workload p = pod("c1", POD_A, "api", "default");
        assertThat(governing(snap, "acme", p)).containsExactly("live@acme:20");
        assertThat(snap.evaluate(p.toRequest(ScopePath.parse("acme"))).matches())
                .isEmpty();
    }

    @Test
    @DisplayName("the DRL rendering of the selection rules selects the same workloads (drools-mvel oracle)")
    void drlOracle() {
        PolicySnapshot snap = compile(
                "policies/acme/jobs.yaml",
                heartbeat(
                        "jobs",
                        "{interval: 70, resource: jobs, clusterId: c1, resourceIds: ['" + JOB_A
                                + "'], jobFilter: {namespace: batch, priority: 5}}"));
        var partition = snap.partitions().get("acme");
        DrlOracle oracle = new DrlOracle();
        for (Workload w : List.of(
                job("c1", JOB_A, "t", "batch", 5),
                job("c2", JOB_A, "t", "batch", 5),
                job("c1", JOB_A, "t", "batch", 6),
                pod("c1", JOB_A, "t", "batch"))) {
            var fact = new dev.gavel.engine.eval.RequestFact(w.toRequest(ScopePath.parse("acme")));
            partition.fire(fact);
            int[] served = fact.takeHits();
            oracle.fire(partition, fact);
            int[] drl = fact.takeHits();
            assertThat(drl).as("%s", w).containsExactlyInAnyOrder(served);
        }
    }
}
