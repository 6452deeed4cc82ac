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
import java.util.SortedMap;
import java.util.TreeMap;

/** Every policy definition of one commit, indexed by scope and by name. Immutable. */
public final class PolicySet {
    private static final Comparator<ScopePath> SHALLOW_FIRST =
            Comparator.comparingInt(ScopePath::depth).thenComparing(ScopePath::dotted);

    private final Map<ScopePath, Map<String, PolicyDefinition>> byScope;
    private final SortedMap<String, List<PolicyDefinition>> byName;
    private final Map<PolicyId, PolicyDefinition> byId;

    private PolicySet(
            Map<ScopePath, Map<String, PolicyDefinition>> byScope,
            SortedMap<String, List<PolicyDefinition>> byName,
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
        TreeMap<String, List<PolicyDefinition>> byName = new TreeMap<>();
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
        byName.replaceAll((n, l) -> shallowFirst(l));
        return new PolicySet(Map.copyOf(byScope), Collections.unmodifiableSortedMap(byName), Map.copyOf(byId));
    }

    /**
     * This set with the definitions of each given name replaced by the given ones (an empty list removes the
     * name); every other name keeps its definitions. A commit that changes a few files redoes the indexes of
     * those names only: at 10,000 policies, indexing every definition again (a SHA-1 id each, sorted lists)
     * took ~10 ms of every write.
     */
    public PolicySet withNames(Map<String, List<PolicyDefinition>> replaced) {
        Map<ScopePath, Map<String, PolicyDefinition>> scopes = new HashMap<>(byScope);
        TreeMap<String, List<PolicyDefinition>> names = new TreeMap<>(byName); // linear: byName is sorted
        Map<PolicyId, PolicyDefinition> ids = new HashMap<>(byId);
        Map<ScopePath, Map<String, PolicyDefinition>> touched = new HashMap<>();
        replaced.forEach((name, defs) -> {
            for (PolicyDefinition old : definitionsOf(name)) {
                ids.remove(old.id());
                touched.computeIfAbsent(old.scope(), s -> new TreeMap<>(definedAt(s)))
                        .remove(name);
            }
        });
        replaced.forEach((name, defs) -> {
            for (PolicyDefinition d : defs) {
                if (!d.name().equals(name)) {
                    throw new IllegalArgumentException(d.file() + " is not a definition of " + name);
                }
                ids.put(d.id(), d);
                PolicyDefinition twice = touched.computeIfAbsent(d.scope(), s -> new TreeMap<>(definedAt(s)))
                        .put(name, d);
                if (twice != null) {
                    throw new IllegalArgumentException("two definitions of " + name + " at " + d.scope());
                }
            }
            if (defs.isEmpty()) {
                names.remove(name);
            } else {
                names.put(name, shallowFirst(defs));
            }
        });
        touched.forEach((scope, defined) -> {
            if (defined.isEmpty()) {
                scopes.remove(scope);
            } else {
                scopes.put(scope, Collections.unmodifiableMap(defined));
            }
        });
        return new PolicySet(
                Collections.unmodifiableMap(scopes),
                Collections.unmodifiableSortedMap(names),
                Collections.unmodifiableMap(ids));
    }

    private static List<PolicyDefinition> shallowFirst(List<PolicyDefinition> defs) {
        return defs.stream()
                .sorted(Comparator.comparing(PolicyDefinition::scope, SHALLOW_FIRST))
                .toList();
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
