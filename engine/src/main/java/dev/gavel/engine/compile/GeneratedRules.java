package dev.gavel.engine.compile;

import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.resolve.PolicySet;
import dev.gavel.engine.resolve.ResolvedPolicy;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The rules generated for each definition of a snapshot, by the definition's file, kept for the next
 * compile: a definition whose variant is the same resolved object (same layers, so the same parsed
 * policies, see {@code ScopeResolver}) and whose overriding scopes are the same is not generated again.
 * Opaque outside this package.
 */
public final class GeneratedRules {
    public static final GeneratedRules NONE = new GeneratedRules(List.of(), Map.of(), null);

    /** One definition's generation: what it was generated from, and the outcome. */
    record Entry(ResolvedPolicy variant, List<ScopePath> overriddenBelow, RuleGenerator.Result result) {}

    final List<String> levels;
    final Map<PolicyPath, Entry> byFile;
    /** The definitions these rules were generated from (null for {@link #NONE}). */
    final PolicySet policies;

    /** Takes {@code byFile} as is: the compiler hands over a map it no longer touches. */
    GeneratedRules(List<String> levels, Map<PolicyPath, Entry> byFile, PolicySet policies) {
        this.levels = List.copyOf(levels);
        this.byFile = Collections.unmodifiableMap(byFile);
        this.policies = policies;
    }

    /** How many definitions have generated rules here. */
    public int size() {
        return byFile.size();
    }
}
