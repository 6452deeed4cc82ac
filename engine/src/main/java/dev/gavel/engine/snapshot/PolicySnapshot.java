package dev.gavel.engine.snapshot;

import dev.gavel.engine.compile.CompiledPartition;
import dev.gavel.engine.compile.GeneratedRules;
import dev.gavel.engine.compile.PartitionEngine;
import dev.gavel.engine.compile.RuleRef;
import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.MissingField;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.eval.RequestFact;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.PolicyTestSuite;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.resolve.PolicySet;
import dev.gavel.engine.resolve.ResolvedPolicy;
import dev.gavel.engine.resolve.ScopeResolver;
import dev.gavel.engine.workload.HeartbeatSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policies of one commit, compiled: parsed definitions, the resolver, one Drools knowledge
 * base per partition (global, each tenant) and the warnings. Immutable; served by swapping the
 * whole snapshot, so an evaluation always sees one commit. Thread-safe without locks: each evaluation
 * takes a session of its own from each partition it runs (CompiledPartition).
 */
public final class PolicySnapshot {
    private final String commit;
    private final RepositorySettings settings;
    private final ScopeResolver resolver;
    private final Map<String, CompiledPartition> partitions;
    private final List<PolicyTestSuite> tests;
    private final List<Diagnostic> warnings;
    final Map<String, SnapshotCompiler.ParsedFile> parsedFiles; // for the next incremental compile
    final GeneratedRules generated; // for the next incremental compile
    private final int regenerated;

    PolicySnapshot(
            String commit,
            RepositorySettings settings,
            ScopeResolver resolver,
            Map<String, CompiledPartition> partitions,
            List<PolicyTestSuite> tests,
            List<Diagnostic> warnings,
            Map<String, SnapshotCompiler.ParsedFile> parsedFiles,
            GeneratedRules generated,
            int regenerated) {
        this.generated = generated;
        this.regenerated = regenerated;
        this.commit = commit;
        this.settings = settings;
        this.resolver = resolver;
        this.partitions = Map.copyOf(partitions);
        this.tests = List.copyOf(tests);
        this.warnings = List.copyOf(warnings);
        this.parsedFiles = java.util.Collections.unmodifiableMap(parsedFiles); // the compiler's own map, not copied
    }

    public String commit() {
        return commit;
    }

    /**
     * The same compiled policies labelled with {@code commitId}: a write compiles its change before
     * committing it, and the commit then serves that snapshot instead of compiling the same files again.
     */
    public PolicySnapshot asCommit(String commitId) {
        return new PolicySnapshot(
                commitId, settings, resolver, partitions, tests, warnings, parsedFiles, generated, regenerated);
    }

    /**
     * What the compile that made this snapshot redid: definitions re-merged by the resolver and
     * definitions whose rules were generated (the others were reused from the previous snapshot).
     */
    public record CompileWork(int mergedDefinitions, int regeneratedDefinitions) {}

    public CompileWork compileWork() {
        return new CompileWork(resolver.mergedDefinitions(), regenerated);
    }

    public RepositorySettings settings() {
        return settings;
    }

    public PolicySet policies() {
        return resolver.policies();
    }

    public List<ResolvedPolicy> resolve(ScopePath scope) {
        return resolver.resolve(scope);
    }

    public ScopeResolver resolver() {
        return resolver;
    }

    public List<PolicyTestSuite> tests() {
        return tests;
    }

    public List<Diagnostic> warnings() {
        return warnings;
    }

    /** The compiled partitions by key ({@code ""} = global). */
    public Map<String, CompiledPartition> partitions() {
        return partitions;
    }

    public Evaluation evaluate(Request request) {
        return evaluate(request, CircuitBreakers.NONE_OPEN);
    }

    /**
     * Decides a request: the global partition's rules and the request's tenant's, matched by
     * Drools; Java only maps the fired rule numbers back through the side tables and drops the
     * matches of variants a deeper definition overrides at the request's scope.
     *
     * @throws IllegalArgumentException when the request's scope is deeper than the repository's levels
     */
    public Evaluation evaluate(Request request, CircuitBreakers breakers) {
        return evaluate(request, breakers, PartitionEngine.SERVED);
    }

    /**
     * Decides a request with another engine firing the same partitions' rules (the DRL oracle);
     * everything else is the served path's code.
     */
    public Evaluation evaluate(Request request, CircuitBreakers breakers, PartitionEngine engine) {
        if (request.scope().size() > settings.levels().size()) {
            throw new IllegalArgumentException("scope has " + request.scope().size() + " levels; this repository has "
                    + settings.levels().size() + " (" + String.join(", ", settings.levels()) + ")");
        }
        RequestFact fact = new RequestFact(request);
        List<Match> matches = new ArrayList<>();
        List<MissingField> missing = new ArrayList<>();
        run(engine, partitions.get(""), fact, breakers, matches, missing);
        if (!request.scope().isEmpty()) {
            run(engine, partitions.get(request.scope().get(0)), fact, breakers, matches, missing);
        }
        return new Evaluation(Evaluation.decide(matches), commit, matches, missing);
    }

    /**
     * The heartbeat policies whose selectors take a workload request ({@code resource.type} pod or job), in
     * governing order ({@link HeartbeatSelection#GOVERNING}): the first one governs it. Drools matches; Java maps
     * the fired selection rules back to their policies' settings.
     */
    public List<HeartbeatSelection> heartbeats(Request request) {
        if (request.scope().size() > settings.levels().size()) {
            throw new IllegalArgumentException("scope has " + request.scope().size() + " levels; this repository has "
                    + settings.levels().size());
        }
        RequestFact fact = new RequestFact(request);
        List<HeartbeatSelection> out = new ArrayList<>(2);
        select(partitions.get(""), fact, out);
        if (!request.scope().isEmpty()) {
            select(partitions.get(request.scope().get(0)), fact, out);
        }
        if (out.size() > 1) {
            out.sort(HeartbeatSelection.GOVERNING);
        }
        return out;
    }

    private void select(CompiledPartition partition, RequestFact fact, List<HeartbeatSelection> out) {
        if (partition == null || partition.rules().isEmpty()) {
            return;
        }
        PartitionEngine.SERVED.fire(partition, fact);
        for (int id : fact.takeHits()) {
            RuleRef r = partition.rule(id);
            if (r.kind() != RuleRef.Kind.SELECT
                    || !r.appliesAt(fact.getRequest().scope())) {
                continue;
            }
            resolver.policies()
                    .definition(r.definedAt(), r.policy())
                    .flatMap(resolver::variant)
                    .filter(v -> v.policy().spec().settings() instanceof Settings.Heartbeat)
                    .ifPresent(v ->
                            out.add(new HeartbeatSelection(r.policy(), r.definedAt(), r.file(), (Settings.Heartbeat)
                                    v.policy().spec().settings())));
        }
    }

    private static void run(
            PartitionEngine engine,
            CompiledPartition partition,
            RequestFact fact,
            CircuitBreakers breakers,
            List<Match> matches,
            List<MissingField> missing) {
        if (partition == null || partition.rules().isEmpty()) {
            return;
        }
        engine.fire(partition, fact);
        // Rule order, not Drools' firing order: the same matches in the same order from any engine.
        int[] hits = fact.sortHits();
        int count = fact.takeHitCount();
        for (int h = 0; h < count; h++) {
            RuleRef r = partition.rule(hits[h]);
            if (r.kind() == RuleRef.Kind.SELECT
                    || !r.appliesAt(fact.getRequest().scope())) {
                continue; // a selection decides nothing; a deeper definition of this policy decides here
                // (docs/engine.md)
            }
            boolean open = breakers.isOpen(r.policy(), r.definedAt());
            Enforcement enforcement = open ? Enforcement.AUDIT : r.enforcement();
            if (r.kind() == RuleRef.Kind.MISSING) {
                missing.add(new MissingField(r.policy(), r.definedAt(), r.field(), r.message(), enforcement, open));
                continue;
            }
            matches.add(new Match(
                    r.policy(), r.definedAt(), r.file(), r.rule(), r.effect(), enforcement, r.message(), open));
        }
    }
}
