package dev.gavel.engine.impact;

import dev.gavel.engine.model.ScopePath;
import java.util.List;

/**
 * The difference between the resolved policies of two versions.
 *
 * @param scopesCompared every scope compared: the global scope and each directory holding policies
 *     in either version
 * @param scopes the compared scopes where something differs, shallowest first
 * @param enforcementChanges per scope, the policies whose effective enforcement changed
 */
public record Impact(
        List<ScopePath> scopesCompared, List<ScopeImpact> scopes, List<EnforcementChange> enforcementChanges) {

    public Impact {
        scopesCompared = List.copyOf(scopesCompared);
        scopes = List.copyOf(scopes);
        enforcementChanges = List.copyOf(enforcementChanges);
    }

    public boolean isEmpty() {
        return scopes.isEmpty();
    }

    /** Number of (scope, policy) pairs that differ. */
    public int changeCount() {
        return scopes.stream().mapToInt(s -> s.changes().size()).sum();
    }
}
