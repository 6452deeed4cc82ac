package dev.gavel.engine.resolve;

import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.ScopePath;
import java.util.List;
import java.util.Map;

/**
 * One policy as it applies at a scope: the definitions on the scope's path merged from the global
 * scope down.
 *
 * @param policy the merged policy
 * @param layers the definitions merged, farthest first; the last one is the nearest
 * @param provenance for each field (e.g. {@code spec.enforcement}, {@code spec.settings.input},
 *     {@code spec.rules.no-gpu-in-dev}), the scope whose definition it came from
 */
public record ResolvedPolicy(Policy policy, List<PolicyDefinition> layers, Map<String, ScopePath> provenance) {
    public ResolvedPolicy {
        layers = List.copyOf(layers);
        provenance = Map.copyOf(provenance);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a resolved policy has at least one layer");
        }
    }

    public String name() {
        return policy.name();
    }

    /** The scope of the nearest definition: the one whose compiled variant applies. */
    public ScopePath definedAt() {
        return nearest().scope();
    }

    public PolicyDefinition nearest() {
        return layers.get(layers.size() - 1);
    }
}
