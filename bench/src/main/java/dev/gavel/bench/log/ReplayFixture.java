package dev.gavel.bench.log;

import dev.gavel.bench.workload.GeneratedPolicy;
import dev.gavel.bench.workload.RequestJson;
import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.store.log.EvaluationIds;
import dev.gavel.store.log.EvaluationLog;
import dev.gavel.store.log.EvaluationRecord;
import dev.gavel.store.log.LogSettings;
import dev.gavel.store.log.LoggedMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code gavel validate --replay} is measured on: a generated repository of N policies whose requests
 * (the seeded mix, as runtimes send them) were decided and logged, N rows over the last 6 days, and a work tree
 * of the same repository with one change that flips some of those decisions (the global token limit on input
 * lowered from 100,000 to 10,000).
 *
 * <pre>scripts/bench main dev.gavel.bench.log.ReplayFixture [--policies 1000] [--rows 1000000] [--dir DIR]
 * java -jar api/target/gavel.jar validate --repo DIR/repo --replay DIR/evaluations.db --limit 1000000</pre>
 */
public final class ReplayFixture {
    private static final int DISTINCT_REQUESTS = 100_000;

    public static void main(String[] args) throws Exception {
        int policies = 1_000;
        long rows = 1_000_000;
        Path dir = Path.of(System.getenv().getOrDefault("BENCH_WORK", "/tmp/gavel-bench"), "replay");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--policies" -> policies = Integer.parseInt(args[i + 1]);
                case "--rows" -> rows = Long.parseLong(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Workload workload = WorkloadGenerator.generate(policies);
        CompileResult compiled = SnapshotCompiler.compile("base", workload.files(), java.util.Optional.empty());
        if (!(compiled instanceof CompileResult.Compiled ok)) {
            throw new IllegalStateException("generated repository rejected: " + compiled.diagnostics());
        }
        PolicySnapshot base = ok.snapshot();
        List<Request> mix = RequestMix.generate(workload, workload.seed(), DISTINCT_REQUESTS);
        List<String> bodies = new ArrayList<>(mix.size());
        mix.forEach(r -> bodies.add(RequestJson.json(r)));

        Files.createDirectories(dir);
        Path file = dir.resolve("evaluations.db");
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(dir.resolve("evaluations.db" + suffix));
        }
        long start = System.nanoTime();
        long spanMicros = 6L * 24 * 3600 * 1_000_000;
        Instant first = Instant.now().minusSeconds(6L * 24 * 3600);
        long written = 0;
        long refused = 0;
        Map<String, Long> decisions = new LinkedHashMap<>();
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(file))) {
            for (long i = 0; written < rows; i++) {
                int k = (int) (i % mix.size());
                Request r = mix.get(k);
                Evaluation e;
                try {
                    e = base.evaluate(r);
                } catch (IllegalArgumentException tooDeep) {
                    refused++;
                    continue;
                }
                if (!e.refusing().isEmpty()) {
                    refused++; // answered 422, never logged
                    if (i > rows * 2) {
                        throw new IllegalStateException("the mix refuses too many requests");
                    }
                    continue;
                }
                List<LoggedMatch> matches = new ArrayList<>(e.matches().size());
                for (Match m : e.matches()) {
                    matches.add(new LoggedMatch(
                            m.policy(),
                            m.definedAt().dotted(),
                            m.enforcement().value(),
                            m.effect().value(),
                            m.rule(),
                            m.message()));
                }
                String scope = String.join(".", r.scope());
                Instant time = first.plusNanos(spanMicros * 1_000 / rows * written);
                log.append(new EvaluationRecord(
                        EvaluationIds.next(),
                        time,
                        scope,
                        r.scope().isEmpty() ? "" : r.scope().get(0),
                        r.resource().type(),
                        r.action(),
                        e.decision().value(),
                        "base",
                        40,
                        bodies.get(k),
                        matches,
                        List.of()));
                decisions.merge(e.decision().value(), 1L, Long::sum);
                written++;
            }
        }
        System.out.printf(
                "logged %,d evaluations (%s; %,d refused requests not logged) in %.1f s -> %s%n",
                written, decisions, refused, (System.nanoTime() - start) / 1e9, file);

        // The head: the same repository with the global input limit lowered.
        Path repo = dir.resolve("repo");
        if (Files.exists(repo)) {
            try (var walk = Files.walk(repo)) {
                walk.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>(workload.files());
        for (GeneratedPolicy p : workload.policies()) {
            if (p.scope().isEmpty() && p.name().equals("token-limits")) {
                Map<String, Object> settings = new LinkedHashMap<>(p.settings());
                settings.put("input", 10_000L);
                files.put(p.path(), p.withSettings(settings).yaml());
            }
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path target = repo.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, f.getValue());
        }
        System.out.println("head work tree: " + repo + " (global token-limits input 100,000 -> 10,000)");
    }
}
