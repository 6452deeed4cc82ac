package dev.gavel.engine.impact;

import dev.gavel.engine.model.ScopePath;
import java.util.List;

/** The policies whose resolved view at {@code scope} differs between two versions, by name. */
public record ScopeImpact(ScopePath scope, List<PolicyChange> changes) {
    public ScopeImpact {
        changes = List.copyOf(changes);
    }
}
