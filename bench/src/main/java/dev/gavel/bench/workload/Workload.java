package dev.gavel.bench.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated policies repository, as data and as files.
 *
 * @param seed the seed it was generated from
 * @param policies every policy file, global ones first
 * @param envScopes every existing env-level scope ({@code tenant.app.agent.env}), in generation order
 * @param valuePool how many distinct values the custom rules' keyed fields draw from (resource name
 *     prefixes, label and attribute values): scaled with the repository so that the share of requests
 *     a custom rule hits stays about the same at 100 and at 10,000 policies
 */
public record Workload(long seed, int tenants, List<GeneratedPolicy> policies, List<String> envScopes, int valuePool) {
    /** The repository settings file: the default four levels, written out. */
    public static final String GAVEL_YAML = """
      apiVersion: gavel/v1
      kind: Repository
      levels: [tenant, app, agent, env]
      branch: main
      """;

    public Workload {
        policies = List.copyOf(policies);
        envScopes = List.copyOf(envScopes);
    }

    /** The repository compiled in full as commit {@code commit}; a generated repository that is refused is a bug. */
    public dev.gavel.engine.snapshot.CompileResult.Compiled compile(String commit) {
        dev.gavel.engine.snapshot.CompileResult result =
                dev.gavel.engine.snapshot.SnapshotCompiler.compile(commit, files(), java.util.Optional.empty());
        if (!(result instanceof dev.gavel.engine.snapshot.CompileResult.Compiled compiled)) {
            throw new IllegalStateException("generated repository rejected: " + result.diagnostics());
        }
        return compiled;
    }

    /** The repository's files ({@code gavel.yaml} and {@code policies/...}) as a commit would hold them. */
    public Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("gavel.yaml", GAVEL_YAML.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (GeneratedPolicy p : policies) {
            files.put(p.path(), p.yaml());
        }
        return files;
    }

    /** Counts by type, for reports. */
    public Map<String, Long> countByType() {
        Map<String, Long> out = new java.util.TreeMap<>();
        policies.forEach(p -> out.merge(p.type(), 1L, Long::sum));
        return out;
    }

    /** Counts by scope depth (0 global .. 4 env), for reports. */
    public long[] countByDepth() {
        long[] out = new long[5];
        policies.forEach(p -> out[p.depth()]++);
        return out;
    }

    public long overrides() {
        return policies.stream().filter(p -> p.overrides().isPresent()).count();
    }
}
