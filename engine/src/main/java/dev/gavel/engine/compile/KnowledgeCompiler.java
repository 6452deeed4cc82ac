package dev.gavel.engine.compile;

import dev.gavel.engine.expr.RequestSchema;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.resolve.PolicySet;
import dev.gavel.engine.resolve.ResolvedPolicy;
import dev.gavel.engine.resolve.ScopeResolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles resolved policies into one knowledge base per partition: the global scope, and each
 * tenant (docs/engine.md). A partition whose generated constraints equal the previous snapshot's keeps
 * its knowledge base, so a one-file change rebuilds only the partitions it touches.
 */
public final class KnowledgeCompiler {
    private KnowledgeCompiler() {}

    /**
     * @param partitions by key: {@code ""} for the global scope, else the tenant
     * @param rebuilt keys of the partitions built anew (the others were reused)
     * @param generated each definition's generated rules, for the next compile
     * @param regenerated how many definitions had their rules generated (the others were reused)
     */
    public record Result(
            Map<String, CompiledPartition> partitions,
            List<Diagnostic> diagnostics,
            Set<String> rebuilt,
            GeneratedRules generated,
            int regenerated) {
        public Result {
            partitions = Map.copyOf(partitions);
            diagnostics = List.copyOf(diagnostics);
            rebuilt = Set.copyOf(rebuilt);
        }
    }

    /** The partition a definition's rules live in. */
    public static String partitionOf(ScopePath scope) {
        return scope.isGlobal() ? "" : scope.segments().get(0);
    }

    public static Result compile(
            ScopeResolver resolver, RequestSchema schema, Map<String, CompiledPartition> previous) {
        return compile(resolver, schema, previous, GeneratedRules.NONE);
    }

    /**
     * @param generatedBefore the previous compile's generated rules: a definition whose variant and overriding
     *     scopes did not change keeps its rules, so a commit generates only what it changed
     */
    public static Result compile(
            ScopeResolver resolver,
            RequestSchema schema,
            Map<String, CompiledPartition> previous,
            GeneratedRules generatedBefore) {
        return compile(resolver, schema, previous, generatedBefore, null);
    }

    /**
     * @param changedNames the policy names whose definitions differ from those {@code generatedBefore} was made
     *     from (null: unknown, visit every definition). A definition's rules depend only on the definitions of its
     *     own name (its variant and the scopes that override it), so only the partitions holding a definition of a
     *     changed name, before or now, can change: the others are taken from {@code previous} without looking at
     *     their definitions. At 10,000 policies that walk was ~30 ms of every write.
     */
    public static Result compile(
            ScopeResolver resolver,
            RequestSchema schema,
            Map<String, CompiledPartition> previous,
            GeneratedRules generatedBefore,
            Set<String> changedNames) {
        return compile(resolver, schema, previous, generatedBefore, changedNames, BuildTiming.NOW);
    }

    /** @param timing when the knowledge bases of new partitions are built (BuildTiming) */
    public static Result compile(
            ScopeResolver resolver,
            RequestSchema schema,
            Map<String, CompiledPartition> previous,
            GeneratedRules generatedBefore,
            Set<String> changedNames,
            BuildTiming timing) {
        RuleGenerator generator = new RuleGenerator(schema);
        boolean sameLevels = generatedBefore.levels.equals(schema.scopeLevels());
        Map<PolicyPath, GeneratedRules.Entry> reusable = sameLevels ? generatedBefore.byFile : Map.of();
        PolicySet policies = resolver.policies();
        boolean onlyChanged = changedNames != null && sameLevels && generatedBefore.policies != null;
        Map<PolicyPath, GeneratedRules.Entry> generatedNow;
        Map<PolicyPath, List<ScopePath>> overrides;
        Set<String> affected; // partitions whose rules may change; null = all
        if (onlyChanged) {
            generatedNow = new HashMap<>(reusable);
            affected = new TreeSet<>();
            for (String name : changedNames) {
                for (PolicyDefinition d : generatedBefore.policies.definitionsOf(name)) {
                    generatedNow.remove(d.path());
                    affected.add(partitionOf(d.scope()));
                }
                policies.definitionsOf(name).forEach(d -> affected.add(partitionOf(d.scope())));
            }
            overrides = overridesBelow(policies, changedNames);
        } else {
            generatedNow = new HashMap<>();
            affected = null;
            overrides = overridesBelow(policies, policies.names());
        }
        int regenerated = 0;
        Map<String, List<CompiledRule>> byPartition = new TreeMap<>();
        for (PolicyDefinition d : sorted(policies, affected)) {
            Optional<ResolvedPolicy> variant = resolver.variant(d);
            if (variant.isEmpty()) {
                continue; // the resolver reported why
            }
            GeneratedRules.Entry entry = reusable.get(d.path());
            List<ScopePath> below;
            if (!onlyChanged || changedNames.contains(d.name())) {
                below = overrides.getOrDefault(d.path(), List.of());
            } else if (entry != null) {
                below = entry.overriddenBelow(); // an unchanged name: the scopes it was generated with
            } else {
                below = overridesBelow(policies, Set.of(d.name())).getOrDefault(d.path(), List.of());
            }
            if (entry == null
                    || entry.variant() != variant.get()
                    || !entry.overriddenBelow().equals(below)) {
                entry = new GeneratedRules.Entry(variant.get(), below, generator.generate(variant.get(), below));
                regenerated++;
            }
            generatedNow.put(d.path(), entry);
            byPartition
                    .computeIfAbsent(partitionOf(d.scope()), k -> new ArrayList<>())
                    .addAll(entry.result().rules());
        }
        List<Diagnostic> diagnostics = new ArrayList<>();
        generatedNow.values().forEach(e -> diagnostics.addAll(e.result().diagnostics()));
        diagnostics.sort(Diagnostic.BY_POSITION);
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
            return new Result(Map.of(), diagnostics, Set.of(), GeneratedRules.NONE, regenerated);
        }

        Map<String, CompiledPartition> out = new ConcurrentHashMap<>();
        if (affected != null) {
            previous.forEach((key, partition) -> {
                if (!affected.contains(key)) {
                    out.put(key, partition);
                }
            });
        }
        Set<String> rebuilt = ConcurrentHashMap.newKeySet();
        List<Runnable> builds = new ArrayList<>();
        List<CompiledPartition> background = new ArrayList<>();
        byPartition.forEach((key, rules) -> {
            List<RuleRef> refs = rules.stream().map(CompiledRule::ref).toList();
            CompiledPartition before = previous.get(key);
            if (before != null && sameConstraints(before.compiled(), rules)) {
                out.put(key, before.rules().equals(refs) ? before : before.withRules(refs));
            } else if (timing == BuildTiming.BACKGROUND) {
                CompiledPartition p = CompiledPartition.deferred(key, rules);
                out.put(key, p);
                rebuilt.add(key);
                background.add(p);
            } else {
                builds.add(() -> {
                    out.put(key, PartitionCompiler.build(key, rules));
                    rebuilt.add(key);
                });
            }
        });
        // Partitions are independent: build them side by side (2 cores here; more elsewhere).
        builds.parallelStream().forEach(Runnable::run);
        BackgroundBuilds.submit(background); // the global partition first: every request needs it
        return new Result(
                new TreeMap<>(out),
                diagnostics,
                new TreeSet<>(rebuilt),
                new GeneratedRules(schema.scopeLevels(), generatedNow, policies),
                regenerated);
    }

    /**
     * The definitions of the given partitions (null: all), sorted by dotted scope, then name: the order of a
     * partition's rules. The key is made once per definition, not per comparison (hashing a scope per comparison
     * was 16 % of a write's compile at 10,000 policies).
     */
    private static List<PolicyDefinition> sorted(PolicySet policies, Set<String> partitions) {
        record Keyed(String scope, String name, PolicyDefinition definition) {}
        List<Keyed> keyed = new ArrayList<>();
        for (ScopePath scope : policies.scopes()) {
            if (partitions == null || partitions.contains(partitionOf(scope))) {
                String dotted = scope.dotted();
                policies.definedAt(scope).values().forEach(d -> keyed.add(new Keyed(dotted, d.name(), d)));
            }
        }
        keyed.sort(Comparator.comparing(Keyed::scope).thenComparing(Keyed::name));
        List<PolicyDefinition> definitions = new ArrayList<>(keyed.size());
        keyed.forEach(k -> definitions.add(k.definition()));
        return definitions;
    }

    /** Whether two partitions' rules test the same constraints in the same order (so the same knowledge base serves both). */
    private static boolean sameConstraints(List<CompiledRule> a, List<CompiledRule> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).constraints() != b.get(i).constraints()
                    && !a.get(i).constraints().equals(b.get(i).constraints())) {
                return false;
            }
        }
        return true;
    }

    /**
     * For each definition, the scopes of the definitions of the same name that override it directly
     * (no other definition of the name between them): its rules must not fire there.
     */
    private static Map<PolicyPath, List<ScopePath>> overridesBelow(PolicySet policies, Set<String> names) {
        Map<PolicyPath, List<ScopePath>> out = new HashMap<>();
        for (String name : names) {
            List<PolicyDefinition> defs = policies.definitionsOf(name); // shallowest first
            for (PolicyDefinition lower : defs) {
                PolicyDefinition parent = null;
                for (PolicyDefinition upper : defs) {
                    if (upper != lower
                            && lower.scope().isWithin(upper.scope())
                            && (parent == null
                                    || upper.scope().depth() > parent.scope().depth())) {
                        parent = upper;
                    }
                }
                if (parent != null) {
                    out.computeIfAbsent(parent.path(), p -> new ArrayList<>()).add(lower.scope());
                }
            }
        }
        return out;
    }
}
