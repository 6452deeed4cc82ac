package dev.gavel.bench.engine;

import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.engine.workload.HeartbeatSelection;
import dev.gavel.engine.workload.Workload;
import dev.gavel.store.workloads.ClusterReport;
import dev.gavel.store.workloads.StoredJob;
import dev.gavel.store.workloads.StoredPod;
import dev.gavel.store.workloads.WorkloadMatch;
import dev.gavel.store.workloads.WorkloadStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Issue 13's figure: a report of 10,000 pods and 2,000 jobs matched against 1,000 heartbeat policies of one
 * tenant (Drools selection rules, docs/workloads.md), the report and its matches written to SQLite, and the
 * cost after a one-policy commit (incremental compile + re-match). Prints medians of {@code rounds} runs.
 *
 * <p>{@code scripts/bench main dev.gavel.bench.engine.HeartbeatMatchFigures [pods] [jobs] [policies] [rounds]}
 */
public final class HeartbeatMatchFigures {
    private HeartbeatMatchFigures() {}

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int policies = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Random rnd = new Random(13);
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < policies; i++) {
            files.put(
                    "policies/acme/hb-" + i + ".yaml",
                    policy(i, rnd, 30 + rnd.nextInt(600)).getBytes(StandardCharsets.UTF_8));
        }
        long t0 = System.nanoTime();
        PolicySnapshot snap = compiled(SnapshotCompiler.compile("c1", files));
        System.out.printf("compile %d heartbeat policies: %d ms%n", policies, (System.nanoTime() - t0) / 1_000_000);

        ClusterReport report = report(pods, jobs, rnd);
        long[] match = new long[rounds];
        List<WorkloadMatch> matches = List.of();
        for (int r = 0; r < rounds; r++) {
            long s = System.nanoTime();
            matches = match(snap, report);
            match[r] = System.nanoTime() - s;
        }
        System.out.printf(
                "match %d pods + %d jobs: median %d ms (%d governed)%n",
                pods, jobs, median(match) / 1_000_000, matches.size());

        Path dir = Files.createTempDirectory("gavel-hb-bench");
        try (WorkloadStore store = WorkloadStore.open(dir.resolve("workloads.db"))) {
            long[] write = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                long s = System.nanoTime();
                store.replace("prod-1", "acme", report, Instant.now(), "c1", matches);
                write[r] = System.nanoTime() - s;
            }
            System.out.printf("store report + matches (SQLite): median %d ms%n", median(write) / 1_000_000);
        }

        long[] commit = new long[rounds];
        long[] rematch = new long[rounds];
        PolicySnapshot current = snap;
        for (int r = 0; r < rounds; r++) {
            Map<String, byte[]> next = new TreeMap<>(files);
            next.put("policies/acme/hb-7.yaml", policy(7, new Random(r), 31 + r).getBytes(StandardCharsets.UTF_8));
            long s = System.nanoTime();
            PolicySnapshot after =
                    compiled(SnapshotCompiler.compile("c" + (r + 2), next, Map.of(), Optional.of(current)));
            commit[r] = System.nanoTime() - s;
            s = System.nanoTime();
            match(after, report);
            rematch[r] = System.nanoTime() - s;
            current = after;
        }
        System.out.printf(
                "one-policy commit: incremental compile median %d ms, re-match median %d ms%n",
                median(commit) / 1_000_000, median(rematch) / 1_000_000);
    }

    static String policy(int i, Random rnd, int interval) {
        String settings = switch (i % 4) {
            case 0 ->
                "{interval: " + interval + ", resource: pods, clusterId: prod-" + (i % 3) + ", resourceName: app-"
                        + (i % 200) + "}";
            case 1 -> "{interval: " + interval + ", resource: namespace, resourceName: ns-" + (i % 50) + "}";
            case 2 ->
                "{interval: " + interval + ", resource: jobs, jobFilter: {namespace: ns-" + (i % 50) + ", priority: "
                        + (i % 5) + "}}";
            default ->
                "{interval: " + interval + ", resource: pods, resourceIds: ['" + new UUID(i, rnd.nextLong()) + "']}";
        };
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: hb-" + i + "}\nspec:\n  type: heartbeat\n"
                + "  enforcement: audit\n  settings: " + settings + "\n";
    }

    static ClusterReport report(int pods, int jobs, Random rnd) {
        List<StoredPod> p = new ArrayList<>(pods);
        for (int i = 0; i < pods; i++) {
            p.add(new StoredPod(
                    new UUID(rnd.nextLong(), rnd.nextLong()).toString(),
                    "app-" + (i % 400),
                    "ns-" + (i % 60),
                    "Running",
                    Map.of()));
        }
        List<StoredJob> j = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            j.add(new StoredJob(
                    new UUID(rnd.nextLong(), rnd.nextLong()).toString(),
                    "job-" + i,
                    "ns-" + (i % 60),
                    i % 7,
                    "Running",
                    List.of(p.get(i % pods).id())));
        }
        return new ClusterReport(p, j);
    }

    /** What the api's WorkloadMatcher does: each workload through the tenant's knowledge base, the first governs. */
    static List<WorkloadMatch> match(PolicySnapshot snap, ClusterReport report) {
        ScopePath acme = ScopePath.of("acme");
        List<WorkloadMatch> out = new ArrayList<>();
        for (StoredPod p : report.pods()) {
            List<HeartbeatSelection> s = snap.heartbeats(new Workload(
                            Workload.Kind.POD, "prod-1", p.id(), p.name(), p.namespace(), Optional.empty(), p.labels())
                    .toRequest(acme));
            if (!s.isEmpty()) {
                out.add(new WorkloadMatch(
                        "prod-1",
                        "pod",
                        p.id(),
                        "acme",
                        s.get(0).policy(),
                        s.get(0).interval()));
            }
        }
        for (StoredJob j : report.jobs()) {
            List<HeartbeatSelection> s = snap.heartbeats(new Workload(
                            Workload.Kind.JOB,
                            "prod-1",
                            j.id(),
                            j.name(),
                            j.namespace(),
                            Optional.of((long) j.priority()),
                            Map.of())
                    .toRequest(acme));
            if (!s.isEmpty()) {
                out.add(new WorkloadMatch(
                        "prod-1",
                        "job",
                        j.id(),
                        "acme",
                        s.get(0).policy(),
                        s.get(0).interval()));
            }
        }
        return out;
    }

    static PolicySnapshot compiled(CompileResult r) {
        if (r instanceof CompileResult.Compiled ok) {
            return ok.snapshot();
        }
        throw new IllegalStateException("does not compile: " + r.diagnostics());
    }

    static long median(long[] xs) {
        long[] c = xs.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
