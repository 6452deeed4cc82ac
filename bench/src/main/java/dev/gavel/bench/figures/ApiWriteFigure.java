package dev.gavel.bench.figures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gavel.bench.workload.GeneratedPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 5 (Gavel alone): API write to served, and resolved reads per second. A write is
 * {@code PUT /api/v1/scopes/{scope}/policies/{name}} of a tenant's token-limit policy with a new total
 * each time (YAML body, admin key); Gavel answers once the new commit is compiled and served
 * (docs/api.md), which the harness checks after every write against {@code GET /api/v1/status} (untimed).
 * Reads: wrk on {@code GET /api/v1/scopes/{env scope}/resolved}, cycling over every env scope.
 */
final class ApiWriteFigure {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiWriteFigure() {}

    static Report run(Harness h) throws IOException, InterruptedException {
        Options o = h.options;
        int size = o.sizes().get(0);
        Report report = new Report(5, "Gavel API write to served (ms) and resolved reads/s")
                .setting("writes_per_run", o.writes())
                .setting("connections", o.connections())
                .setting("duration", o.duration())
                .setting("warmup", o.warmup());
        Workspace w = h.workspace(size);
        GeneratedPolicy target = w.workload().policies().stream()
                .filter(p -> p.depth() == 1 && p.type().equals("maxTokens") && !p.locked() && !p.paused())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no tenant token-limit policy to rewrite"));
        String url = "/api/v1/scopes/" + target.scope() + "/policies/" + target.name();
        for (int run = 1; run <= o.runs(); run++) {
            System.out.printf(
                    "figure 5: %,d policies, run %d/%d (%d writes to %s)%n", size, run, o.runs(), o.writes(), url);
            Path dir = h.runDir("fig5-gavel");
            try (GavelLauncher.Running g = h.gavel.start(w.gavelRepo(), dir.resolve("data"), o.gavelPort(), "1s")) {
                h.awaitGavel(g, w.gavelBodyLines().get(0));
                List<Double> latencies = new ArrayList<>();
                int warmupWrites = Math.max(5, o.writes() / 20);
                for (int i = 0; i < warmupWrites + o.writes(); i++) {
                    Map<String, Object> settings = new LinkedHashMap<>(target.settings());
                    settings.put("total", 30_000L + 1000L * ((run * 100_000L + i) % 170)); // a new value most writes
                    settings.put("step", 1000L + i); // always new: every write is a commit
                    byte[] yaml = target.withSettings(settings).yaml();
                    long t0 = System.nanoTime();
                    Http.Answer a = h.http.put(g.server().baseUrl() + url, g.token(), "application/yaml", yaml);
                    long t1 = System.nanoTime();
                    if (!a.ok()) {
                        throw new IllegalStateException("PUT answered " + a.status() + ": " + a.body());
                    }
                    String commit = JSON.readTree(a.body()).path("commit").asText();
                    JsonNode status = JSON.readTree(h.http.get(g.server().baseUrl() + "/api/v1/status", g.token())
                            .body());
                    if (!commit.equals(status.path("served").path("commit").asText())) {
                        throw new IllegalStateException(
                                "PUT returned before its commit " + commit + " was served: " + status);
                    }
                    if (i >= warmupWrites) {
                        latencies.add((t1 - t0) / 1e6);
                    }
                }
                report.add(size, "gavel-put", "p50_ms", Stats.percentile(latencies, 50));
                report.add(size, "gavel-put", "p99_ms", Stats.percentile(latencies, 99));
                report.add(size, "gavel-put", "max_ms", Stats.percentile(latencies, 100));
                report.add(
                        size,
                        "gavel-put",
                        "writes_per_s",
                        latencies.size()
                                / (latencies.stream().mapToDouble(d -> d).sum() / 1000));

                Wrk.Load reads = Wrk.Load.gets(w.resolvedPaths(), g.token());
                h.wrk.run(g.server().baseUrl(), reads, o.warmup(), dir.resolve("wrk-warmup.txt"));
                Wrk.Result r = h.wrk.run(g.server().baseUrl(), reads, o.duration(), dir.resolve("wrk.txt"));
                report.add(size, "gavel-resolved", "rps", r.rps());
                report.add(size, "gavel-resolved", "p50_ms", r.p50Ms());
                report.add(size, "gavel-resolved", "p99_ms", r.p99Ms());
                report.add(size, "gavel-resolved", "non2xx", r.non2xx());
            } finally {
                Workspace.delete(dir);
            }
        }
        return report;
    }
}
