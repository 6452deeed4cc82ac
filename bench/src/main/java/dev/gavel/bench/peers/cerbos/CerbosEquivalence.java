package dev.gavel.bench.peers.cerbos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.bench.peers.FlatReference;
import dev.gavel.bench.peers.FlatRepository;
import dev.gavel.bench.peers.Outcome;
import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the Cerbos translation against Gavel with the real server: writes the policies, starts cerbos
 * on them, sends the whole request mix to {@code /api/check/resources} (50 per call, the server's default batch limit) and
 * compares outcomes (the same comparison as {@link dev.gavel.bench.peers.Equivalence}).
 *
 * <p>{@code scripts/bench main dev.gavel.bench.peers.cerbos.CerbosEquivalence [POLICIES] [REQUESTS] [flat|scoped]}
 * (defaults 1000, 2000 and {@code flat}: {@link CerbosPolicies}; {@code scoped}: {@link CerbosScopedPolicies}). The binary: {@code $CERBOS_BIN}, else what {@code bench/peers/install-cerbos.sh}
 * prints. Work files under {@code ${BENCH_WORK:-/tmp/gavel-bench}/peers/cerbos-equivalence}.
 */
public final class CerbosEquivalence {
    private CerbosEquivalence() {}

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        boolean scoped = args.length > 2 && args[2].equals("scoped");
        if (args.length > 2 && !scoped && !args[2].equals("flat")) {
            throw new IllegalArgumentException("translation: flat or scoped, not " + args[2]);
        }
        Workload w = WorkloadGenerator.generate(size);
        FlatRepository repository = FlatRepository.of(w);
        List<Request> mix = RequestMix.generate(w, w.seed(), count);
        Path work = Path.of(
                System.getenv().getOrDefault("BENCH_WORK", "/tmp/gavel-bench"),
                "peers",
                "cerbos-equivalence",
                Integer.toString(size),
                scoped ? "scoped" : "flat");
        Path policies = work.resolve("policies");
        if (Files.exists(policies)) {
            try (var old = Files.walk(policies)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        if (scoped) {
            CerbosScopedPolicies.write(repository, policies);
        } else {
            CerbosPolicies.write(repository, policies);
        }
        long started = System.nanoTime();
        try (CerbosServer server =
                CerbosServer.start(binary(), policies, work, scoped ? CerbosScopedPolicies.ENGINE_CONFIG : "")) {
            System.out.printf(
                    "%d policies, %d flat rules, %s translation; cerbos up in %d ms%n",
                    size,
                    repository.ruleCount(),
                    scoped ? "scoped" : "flat",
                    (System.nanoTime() - started) / 1_000_000);
            int disagreeing = check(repository, server, mix, scoped);
            if (disagreeing > 0) {
                System.exit(1);
            }
        }
    }

    /** @return the number of requests on which Cerbos and Gavel disagree (the first few are printed) */
    static int check(FlatRepository repository, CerbosServer server, List<Request> mix, boolean scoped)
            throws IOException, InterruptedException {
        FlatReference reference = new FlatReference(repository);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        int disagreeing = 0;
        long start = System.nanoTime();
        for (int from = 0; from < mix.size(); from += 50) {
            List<Request> batch = mix.subList(from, Math.min(mix.size(), from + 50));
            JsonNode response = server.check(
                    scoped ? CerbosScopedPolicies.checkRequest(batch) : CerbosPolicies.checkRequest(batch));
            JsonNode results = response.path("results");
            for (int i = 0; i < batch.size(); i++) {
                Request r = batch.get(i);
                JsonNode result = results.path(i);
                if (!result.path("resource").path("id").asText().equals(Integer.toString(i))) {
                    throw new IllegalStateException("results out of order: " + result);
                }
                Evaluation e = repository.gavel().evaluate(r);
                Outcome expected = Outcome.of(e);
                outcomes.merge(expected, 1, Integer::sum);
                Outcome actual = CerbosPolicies.outcome(result);
                if (actual != expected) {
                    if (disagreeing++ < 5) {
                        System.out.println(
                                "  request #" + (from + i) + " " + r + "\n    gavel " + expected.label() + " "
                                        + e.matches() + "\n    cerbos " + actual.label() + " " + result.path("actions")
                                        + "\n    flat reference " + reference.explain(r));
                    }
                }
            }
        }
        System.out.printf(
                "cerbos: %s on %d of %d requests (Gavel: %s), checked in %d ms%n",
                disagreeing == 0 ? "agrees" : "DISAGREES",
                disagreeing == 0 ? mix.size() : disagreeing,
                mix.size(),
                outcomes,
                (System.nanoTime() - start) / 1_000_000);
        return disagreeing;
    }

    static Path binary() throws IOException, InterruptedException {
        String env = System.getenv("CERBOS_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path script = Path.of("bench/peers/install-cerbos.sh");
        if (!Files.exists(script)) {
            throw new IllegalStateException("run from the repository root, or set CERBOS_BIN");
        }
        Process p = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new IllegalStateException("install-cerbos.sh failed");
        }
        List<String> lines = new ArrayList<>(List.of(out.split("\n")));
        return Path.of(lines.get(lines.size() - 1));
    }
}
