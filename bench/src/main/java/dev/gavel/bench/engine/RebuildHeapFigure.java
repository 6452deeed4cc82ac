package dev.gavel.bench.engine;

import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.ServedSnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Heap after many rebuilds: serves a generated repository, then commits {@code --rebuilds} one-file
 * changes (a tenant policy's limit, cycling over tenants so every tenant partition is rebuilt again and
 * again), each compiled incrementally from the served snapshot and swapped in as a server does
 * ({@link ServedSnapshot#offer}, which closes the partitions no longer shared), with evaluations between
 * rebuilds so every partition has sessions to dispose. Prints the used heap after a full GC after 50
 * rebuilds and at the end; flat means no snapshot, knowledge base or session is kept by a superseded one.
 *
 * <p>{@code scripts/bench main dev.gavel.bench.engine.RebuildHeapFigure --policies 1000 --rebuilds 5000}
 */
public final class RebuildHeapFigure {
    private RebuildHeapFigure() {}

    public static void main(String[] args) {
        int policies = Integer.parseInt(AlphaWalkReport.arg(args, "--policies", "1000"));
        int rebuilds = Integer.parseInt(AlphaWalkReport.arg(args, "--rebuilds", "5000"));
        Workload w = WorkloadGenerator.generate(policies);
        Map<String, byte[]> files = new LinkedHashMap<>(w.files());
        ServedSnapshot served = new ServedSnapshot();
        served.offer(SnapshotCompiler.compile("c0", files, Optional.empty()));
        List<String> tenantFiles = new ArrayList<>();
        for (String path : files.keySet()) {
            String text = new String(files.get(path), StandardCharsets.UTF_8);
            if (path.chars().filter(c -> c == '/').count() == 2
                    && text.contains("type: maxTokens")
                    && text.contains("total: ")) {
                tenantFiles.add(path);
            }
        }
        List<Request> mix = RequestMix.generate(w, w.seed(), 500);
        long at50 = 0;
        long t0 = System.nanoTime();
        for (int i = 1; i <= rebuilds; i++) {
            String path = tenantFiles.get(i % tenantFiles.size());
            String text = new String(files.get(path), StandardCharsets.UTF_8);
            files.put(
                    path,
                    text.replaceFirst("total: \\d+", "total: " + (1000 + i)).getBytes(StandardCharsets.UTF_8));
            PolicySnapshot previous = served.current().orElseThrow();
            CompileResult r = SnapshotCompiler.compile("c" + i, files, Optional.of(previous));
            if (!(r instanceof CompileResult.Compiled)) {
                throw new IllegalStateException("rejected: " + r.diagnostics());
            }
            served.offer(r);
            PolicySnapshot now = served.current().orElseThrow();
            for (int k = 0; k < 20; k++) {
                now.evaluate(mix.get((i * 20 + k) % mix.size()));
            }
            if (i == 50) {
                at50 = usedAfterGc();
                System.out.printf(
                        Locale.ROOT,
                        "after %d rebuilds: %.1f MiB used after GC (serving %s, %d files)%n",
                        i,
                        at50 / 1048576.0,
                        served.current().orElseThrow().commit(),
                        files.size());
            } else if (i % 500 == 0) {
                System.out.printf(Locale.ROOT, "%d rebuilds, %.1f s%n", i, (System.nanoTime() - t0) / 1e9);
            }
        }
        long end = usedAfterGc();
        // Printed after the measurement so that the served snapshot, the files and the mix stay reachable
        // through it (a JIT may otherwise drop what is no longer used, and the figure would be of nothing).
        System.out.printf(
                Locale.ROOT,
                "after %d rebuilds: %.1f MiB used after GC (%+.1f %% vs after 50; serving %s, %d files,"
                        + " %d requests)%n",
                rebuilds,
                end / 1048576.0,
                100.0 * (end - at50) / at50,
                served.current().orElseThrow().commit(),
                files.size(),
                mix.size());
    }

    static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
