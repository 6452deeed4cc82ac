package dev.gavel.bench.workload;

import dev.gavel.engine.eval.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded stream of requests against a {@link Workload}. Most requests are ordinary (a core
 * location and flavor, small token counts, values from the pool); the share that denies or warns
 * comes from a few request properties with the probabilities of {@link Rates}:
 *
 * <ul>
 *   <li>deny: a location outside the core regions (the global {@code core-regions} guardrail, unless a
 *       tenant's override allows it), a sanctioned country (locked rule), an unknown GPU, a big token
 *       count (over some of the limits);
 *   <li>warn: a GPU in dev or an experimental resource in prod ({@code agent-guardrails}, warn), and
 *       generated rules and policies under {@code warn}.
 * </ul>
 *
 * Custom rules hit about 1 request in the workload's value pool each, wherever they apply.
 */
public final class RequestMix {
    private RequestMix() {}

    /**
     * Probabilities of the request properties that decide. The defaults give about 10 % deny and 20 %
     * warn on the generated repositories of 100 to 10,000 policies (checked by {@link DecisionMix}).
     */
    public record Rates(
            double edgeLocation,
            double sanctioned,
            double edgeGpu,
            double gpu,
            double bigTokens,
            double experimental,
            double missingParts,
            double unknownScope) {
        public static final Rates DEFAULT = new Rates(0.05, 0.005, 0.015, 0.40, 0.03, 0.25, 0.02, 0.05);
    }

    public static List<Request> generate(Workload workload, long seed, int count) {
        return generate(workload, seed, count, Rates.DEFAULT);
    }

    public static List<Request> generate(Workload workload, long seed, int count, Rates rates) {
        Random rnd = new Random(seed);
        int pool = workload.valuePool();
        List<Request> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(request(workload, rnd, pool, rates));
        }
        return List.copyOf(out);
    }

    private static Request request(Workload w, Random rnd, int pool, Rates rates) {
        List<String> scope = scope(w, rnd, rates);
        String type = weighted(rnd, WorkloadGenerator.RESOURCE_TYPES, 0.40, 0.10, 0.30, 0.10, 0.10);
        String name = "svc-" + rnd.nextInt(pool) + "-"
                + List.of("main", "api", "canary3", "beta").get(rnd.nextInt(4));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("team", "team-" + rnd.nextInt(pool));
        labels.put("tier", "tier-" + rnd.nextInt(pool));
        labels.put("cost-center", "cc-" + rnd.nextInt(pool));
        labels.put("app", "app-" + rnd.nextInt(pool));
        labels.put("stage", rnd.nextDouble() < rates.experimental() ? "experimental" : "stable");
        String action = weighted(rnd, WorkloadGenerator.ACTIONS, 0.50, 0.20, 0.10, 0.10, 0.05, 0.05);

        double l = rnd.nextDouble();
        String[] loc = l < rates.sanctioned()
                ? one(rnd, WorkloadGenerator.SANCTIONED_LOCATIONS)
                : l < rates.sanctioned() + rates.edgeLocation()
                        ? one(rnd, WorkloadGenerator.EDGE_LOCATIONS)
                        : one(rnd, WorkloadGenerator.CORE_LOCATIONS);
        Request.Location location = new Request.Location(loc[0], loc[1], loc[2]);

        Request.Flavor flavor;
        double f = rnd.nextDouble();
        if (f < rates.missingParts()) {
            flavor = null;
        } else if (f < rates.missingParts() + rates.edgeGpu()) {
            flavor = new Request.Flavor(WorkloadGenerator.EDGE_GPU, "gpu");
        } else if (f < rates.missingParts() + rates.edgeGpu() + rates.gpu()) {
            flavor = new Request.Flavor(one(rnd, WorkloadGenerator.CORE_GPUS), "gpu");
        } else {
            flavor = new Request.Flavor(rnd.nextBoolean() ? "c-small" : "c-large", "cpu");
        }

        Request.Tokens tokens;
        double t = rnd.nextDouble();
        if (t < rates.missingParts()) {
            tokens = null;
        } else if (t < rates.missingParts() + rates.bigTokens()) {
            tokens = new Request.Tokens(20_000L + rnd.nextInt(230_000), 1_000L + rnd.nextInt(30_000));
        } else {
            long output = 100 + rnd.nextInt(3_900);
            tokens = new Request.Tokens(50L + rnd.nextInt((int) Math.min(6_000, output * 20)), output);
        }

        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("ticket", "T-" + rnd.nextInt(pool));
        attributes.put("priority", rnd.nextBoolean() ? "low" : "high");
        attributes.put("approved", rnd.nextDouble() < 0.7);
        attributes.put("budget", "b-" + rnd.nextInt(pool));
        return new Request(
                scope, new Request.Resource(type, name, labels), action, location, flavor, tokens, attributes);
    }

    /** An existing env scope; else an env without a directory, or a tenant without one. */
    private static List<String> scope(Workload w, Random rnd, Rates rates) {
        String env = w.envScopes().get(rnd.nextInt(w.envScopes().size()));
        List<String> segments = new ArrayList<>(List.of(env.split("\\.")));
        double u = rnd.nextDouble();
        if (u < rates.unknownScope() * 0.6) {
            segments.set(3, "qa"); // no such directory: resolves through the agent
        } else if (u < rates.unknownScope()) {
            segments.set(0, "tenant-new-" + rnd.nextInt(10)); // no tenant directory: global rules only
        }
        return segments;
    }

    private static <T> T one(Random rnd, List<T> from) {
        return from.get(rnd.nextInt(from.size()));
    }

    private static String weighted(Random rnd, List<String> values, double... weights) {
        double r = rnd.nextDouble();
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (r < acc) {
                return values.get(i);
            }
        }
        return values.get(values.size() - 1);
    }
}
