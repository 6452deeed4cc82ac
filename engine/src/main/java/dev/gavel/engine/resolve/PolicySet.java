package dev.gavel.engine.resolve;

import dev.gavel.engine.model.PolicyId;
import dev.gavel.engine.model.ScopePath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Every policy definition of one commit, indexed by scope and by name. Immutable. */
public final class PolicySet {
    private static final Comparator<ScopePath> SHALLOW_FIRST =
            Comparator.comparingInt(ScopePath::depth).thenComparing(ScopePath::dotted);

    private final Map<ScopePath, Map<String, PolicyDefinition>> byScope;
    private final Map<String, List<PolicyDefinition>> byName;
    private final Map<PolicyId, PolicyDefinition> byId;

    private PolicySet(
            Map<ScopePath, Map<String, PolicyDefinition>> byScope,
            Map<String, List<PolicyDefinition>> byName,
            Map<PolicyId, PolicyDefinition> byId) {
        this.byScope = byScope;
        this.byName = byName;
        this.byId = byId;
    }

    /**
     * Indexes definitions; two definitions of one name at one scope cannot happen in a Git tree (one
     * file per name), so a duplicate here is a caller's bug.
     */
    public static PolicySet of(Collection<PolicyDefinition> definitions) {
        Map<ScopePath, Map<String, PolicyDefinition>> byScope = new HashMap<>();
        Map<String, List<PolicyDefinition>> byName = new TreeMap<>();
        Map<PolicyId, PolicyDefinition> byId = new HashMap<>();
        for (PolicyDefinition d : definitions) {
            byId.put(d.id(), d);
            PolicyDefinition previous =
                    byScope.computeIfAbsent(d.scope(), s -> new TreeMap<>()).put(d.name(), d);
            if (previous != null) {
                throw new IllegalArgumentException("two definitions of " + d.name() + " at " + d.scope());
            }
            byName.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d);
        }
        byScope.replaceAll((s, m) -> Collections.unmodifiableMap(m));
        byName.replaceAll((n, l) -> l.stream()
                .sorted(Comparator.comparing(PolicyDefinition::scope, SHALLOW_FIRST))
                .toList());
        return new PolicySet(Map.copyOf(byScope), Collections.unmodifiableMap(byName), Map.copyOf(byId));
    }

    /** The definition with this stable id, in one lookup. */
    public Optional<PolicyDefinition> byId(PolicyId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Policies defined at exactly {@code scope}, by name. */
    public Map<String, PolicyDefinition> definedAt(ScopePath scope) {
        return byScope.getOrDefault(scope, Map.of());
    }

    public Optional<PolicyDefinition> definition(ScopePath scope, String name) {
        return Optional.ofNullable(definedAt(scope).get(name));
    }

    /** Every definition of {@code name}, shallowest scope first. */
    public List<PolicyDefinition> definitionsOf(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** Every policy name, sorted. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** Scopes that define at least one policy. */
    public Set<ScopePath> scopes() {
        return byScope.keySet();
    }

    public List<PolicyDefinition> all() {
        return byName.values().stream().flatMap(List::stream).toList();
    }

    public int size() {
        return byName.values().stream().mapToInt(List::size).sum();
    }
}
