package dev.gavel.engine.resolve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.CircuitBreaker;
import dev.gavel.engine.model.Metadata;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.PromotionRule;
import dev.gavel.engine.model.ResourceType;
import dev.gavel.engine.model.Rule;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Spec;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Resolves scopes per DESIGN.md: from the global scope down, a nearer definition of a name
 * overrides the farther one — settings deep-merged, rules replaced by name, enforcement, status and
 * the rest of the spec taken from the nearest — and keeps the provenance of every field.
 *
 * <p>The merge for a scope depends only on the definitions on its path, so it is computed once per
 * definition (its <em>variant</em>) and shared by every scope below it, existing or not.
 * Immutable and thread-safe once built.
 */
public final class ScopeResolver {
    private final PolicySet policies;
    /** By the definition's path (not by the policy record, whose hash walks the whole policy). */
    private final Map<PolicyPath, ResolvedPolicy> variants;

    /** Problems by policy name (sorted by name), so a commit re-checks only the names it changed. */
    private final SortedMap<String, List<Diagnostic>> problemsByName;

    private final List<Diagnostic> diagnostics;
    private final int merged;

    public ScopeResolver(PolicySet policies) {
        this(policies, null, null);
    }

    /**
     * Resolves {@code policies}, reusing {@code previous}'s variant of a definition whose layers are the
     * same parsed policies (the compiler keeps a file's parsed policy while its bytes do not change), so a
     * commit re-merges only the definitions whose layers changed.
     */
    public ScopeResolver(PolicySet policies, ScopeResolver previous) {
        this(policies, previous, null);
    }

    /**
     * As {@link #ScopeResolver(PolicySet, ScopeResolver)}, visiting only {@code changedNames}: every other
     * name's definitions must be the same in {@code policies} as in {@code previous.policies()} (what {@link
     * PolicySet#withNames} gives), and keep their variants and problems. A variant depends only on the
     * definitions of its own name, so this equals resolving every name; at 10,000 policies it saves a
     * walk over every definition per commit. {@code changedNames} null (or no previous): every name.
     */
    public ScopeResolver(PolicySet policies, ScopeResolver previous, Set<String> changedNames) {
        this.policies = policies;
        boolean onlyChanged = previous != null && changedNames != null;
        Map<PolicyPath, ResolvedPolicy> byDefinition = onlyChanged ? new HashMap<>(previous.variants) : new HashMap<>();
        SortedMap<String, List<Diagnostic>> problems =
                onlyChanged ? new TreeMap<>(previous.problemsByName) : new TreeMap<>();
        int mergedHere = 0;
        for (String name : onlyChanged ? changedNames : policies.names()) {
            if (onlyChanged) {
                previous.policies.definitionsOf(name).forEach(d -> byDefinition.remove(d.path()));
                problems.remove(name);
            }
            List<Diagnostic> found = new ArrayList<>();
            mergedHere += resolveName(policies.definitionsOf(name), previous, byDefinition, found);
            if (!found.isEmpty()) {
                problems.put(name, List.copyOf(found));
            }
        }
        List<Diagnostic> all = new ArrayList<>();
        problems.values().forEach(all::addAll);
        all.sort(Diagnostic.BY_POSITION);
        this.variants = Collections.unmodifiableMap(byDefinition);
        this.problemsByName = Collections.unmodifiableSortedMap(problems);
        this.diagnostics = List.copyOf(all);
        this.merged = mergedHere;
    }

    /** Resolves the definitions of one name into {@code out}; returns how many it merged (not reused). */
    private static int resolveName(
            List<PolicyDefinition> defs,
            ScopeResolver previous,
            Map<PolicyPath, ResolvedPolicy> out,
            List<Diagnostic> problems) {
        int mergedHere = 0;
        checkOverrides(defs, problems);
        for (PolicyDefinition d : defs) {
            List<PolicyDefinition> layers =
                    defs.stream().filter(a -> d.scope().isWithin(a.scope())).toList();
            if (layers.stream().anyMatch(a -> a.policy().type() != d.policy().type())) {
                continue; // reported by checkOverrides; a merge across types has no meaning
            }
            ResolvedPolicy before = previous == null ? null : previous.variants.get(d.path());
            if (before != null && sameLayers(before.layers(), layers)) {
                out.put(d.path(), before);
                continue;
            }
            try {
                mergedHere++;
                out.put(d.path(), merge(layers));
            } catch (IllegalArgumentException e) {
                problems.add(error(d, "spec", "cannot be merged with the definitions above it: " + e.getMessage()));
            }
        }
        return mergedHere;
    }

    /** Whether two layer lists are the same files holding the same parsed policy objects. */
    private static boolean sameLayers(List<PolicyDefinition> a, List<PolicyDefinition> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).policy() != b.get(i).policy()
                    || !a.get(i).path().equals(b.get(i).path())) {
                return false;
            }
        }
        return true;
    }

    /** How many definitions this resolver merged (the others were reused from the previous one). */
    public int mergedDefinitions() {
        return merged;
    }

    public PolicySet policies() {
        return policies;
    }

    /** Lock violations and overrides that change a policy's type; empty when the set resolves cleanly. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** The policy as it applies at and below {@code definition}'s scope (until a deeper override). */
    public Optional<ResolvedPolicy> variant(PolicyDefinition definition) {
        ResolvedPolicy v = variants.get(definition.path());
        // The same definition: the same parsed policy (identity, the usual case) or an equal one.
        boolean same = v != null
                && (v.nearest().policy() == definition.policy() || v.nearest().equals(definition));
        return same ? Optional.of(v) : Optional.empty();
    }

    /** The resolved set of {@code scope}, sorted by name; scopes without a directory resolve through their ancestors. */
    public List<ResolvedPolicy> resolve(ScopePath scope) {
        Map<String, PolicyDefinition> nearest = new TreeMap<>();
        for (ScopePath s : scope.lineage()) {
            nearest.putAll(policies.definedAt(s));
        }
        List<ResolvedPolicy> out = new ArrayList<>(nearest.size());
        for (PolicyDefinition d : nearest.values()) {
            ResolvedPolicy v = variants.get(d.path());
            if (v != null) {
                out.add(v);
            }
        }
        return List.copyOf(out);
    }

    public Optional<ResolvedPolicy> resolve(ScopePath scope, String name) {
        PolicyDefinition nearest = null;
        for (ScopePath s : scope.lineage()) {
            PolicyDefinition d = policies.definedAt(s).get(name);
            if (d != null) {
                nearest = d;
            }
        }
        return nearest == null ? Optional.empty() : variant(nearest);
    }

    /**
     * Definitions below a locked one are invalid (a lock forbids overriding, weakening and pausing
     * alike, and any override could do one of those); an override must keep the policy's type.
     */
    private static void checkOverrides(List<PolicyDefinition> defs, List<Diagnostic> problems) {
        for (PolicyDefinition upper : defs) {
            for (PolicyDefinition lower : defs) {
                if (lower == upper || !lower.scope().isWithin(upper.scope())) {
                    continue;
                }
                if (upper.policy().spec().locked()) {
                    problems.add(error(
                            lower,
                            "metadata.name",
                            "overrides the locked policy '" + upper.name() + "' of " + describe(upper.scope()) + " ("
                                    + upper.file()
                                    + "); a locked policy cannot be overridden, weakened or paused below its scope"));
                } else if (upper.policy().type() != lower.policy().type()) {
                    problems.add(error(
                            lower,
                            "spec.type",
                            "'" + lower.policy().type() + "' overrides '" + upper.name() + "' of type '"
                                    + upper.policy().type() + "' at " + describe(upper.scope())
                                    + "; an override keeps the type"));
                }
            }
        }
    }

    static String describe(ScopePath scope) {
        return scope.isGlobal() ? "the global scope" : "scope " + scope.dotted();
    }

    private static Diagnostic error(PolicyDefinition d, String field, String message) {
        return new Diagnostic(d.file(), 1, 1, Severity.ERROR, field, field + ": " + message);
    }

    /** Merges definitions, farthest first. */
    static ResolvedPolicy merge(List<PolicyDefinition> layers) {
        Map<String, ScopePath> provenance = new TreeMap<>();
        Metadata meta = layers.get(0).policy().metadata();
        Spec nearest = layers.get(layers.size() - 1).policy().spec();
        List<ResourceType> resourceTypes = List.of();
        Optional<CircuitBreaker> breaker = Optional.empty();
        Optional<PromotionRule> promotion = Optional.empty();
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (PolicyDefinition layer : layers) {
            Metadata m = layer.policy().metadata();
            Spec s = layer.policy().spec();
            if (layer != layers.get(0)) {
                Map<String, String> labels = new TreeMap<>(meta.labels());
                labels.putAll(m.labels());
                meta = new Metadata(
                        meta.name(),
                        m.displayName().or(meta::displayName),
                        m.description().or(meta::description),
                        m.owner().or(meta::owner),
                        m.category().or(meta::category),
                        labels,
                        m.reviewEvery().or(meta::reviewEvery),
                        m.lastReviewed().or(meta::lastReviewed),
                        m.tags().isEmpty() ? meta.tags() : m.tags(),
                        m.nextReviewAt().or(meta::nextReviewAt),
                        m.source().or(meta::source),
                        m.sourceType().or(meta::sourceType),
                        m.deleted()); // deletion is the nearest layer's own: a soft-deleted override is not evaluated
            }
            SettingsMerge.overlay(settings, s.rawSettings(), "spec.settings", f -> provenance.put(f, layer.scope()));
            s.rules().forEach(r -> rules.put(r.name(), r));
            if (!s.resourceTypes().isEmpty()) {
                resourceTypes = s.resourceTypes();
            }
            if (s.circuitBreaker().isPresent()) {
                breaker = s.circuitBreaker();
            }
            if (s.promotion().isPresent()) {
                promotion = s.promotion();
            }
            record(layer, provenance);
        }
        Spec spec = Spec.of(
                        nearest.type(),
                        nearest.enforcement(),
                        nearest.status(),
                        nearest.locked(),
                        resourceTypes,
                        settings,
                        List.copyOf(rules.values()),
                        breaker)
                .withPromotion(promotion);
        return new ResolvedPolicy(new Policy(meta, spec), layers, provenance);
    }

    /** Records the fields {@code layer} sets, other than settings (the overlay records those). */
    private static void record(PolicyDefinition layer, Map<String, ScopePath> provenance) {
        ScopePath at = layer.scope();
        Metadata m = layer.policy().metadata();
        Spec s = layer.policy().spec();
        provenance.put("spec.enforcement", at);
        provenance.put("spec.status", at);
        provenance.put("spec.locked", at);
        provenance.putIfAbsent("spec.type", at);
        m.displayName().ifPresent(v -> provenance.put("metadata.displayName", at));
        m.description().ifPresent(v -> provenance.put("metadata.description", at));
        m.owner().ifPresent(v -> provenance.put("metadata.owner", at));
        m.category().ifPresent(v -> provenance.put("metadata.category", at));
        m.reviewEvery().ifPresent(v -> provenance.put("metadata.reviewEvery", at));
        m.lastReviewed().ifPresent(v -> provenance.put("metadata.lastReviewed", at));
        m.nextReviewAt().ifPresent(v -> provenance.put("metadata.nextReviewAt", at));
        m.source().ifPresent(v -> provenance.put("metadata.source", at));
        m.sourceType().ifPresent(v -> provenance.put("metadata.sourceType", at));
        if (!m.tags().isEmpty()) {
            provenance.put("metadata.tags", at);
        }
        m.labels().keySet().forEach(k -> provenance.put("metadata.labels." + k, at));
        if (!s.resourceTypes().isEmpty()) {
            provenance.put("spec.resourceTypes", at);
        }
        s.circuitBreaker().ifPresent(v -> provenance.put("spec.circuitBreaker", at));
        s.promotion().ifPresent(v -> provenance.put("spec.promotion", at));
        s.rules().forEach(r -> provenance.put("spec.rules." + r.name(), at));
    }
}
