package dev.gavel.store.log;

import java.util.Map;

/**
 * How many distinct resources of each type (model, function, agent, sandbox, job, as requests name them) a
 * policy definition applied to in a window of the evaluation log. A resource is its tenant and
 * {@code resource.name}; an evaluation that names no resource counts for none.
 */
public record ResourceCounts(Map<String, Long> byType) {
    public static final ResourceCounts NONE = new ResourceCounts(Map.of());

    public ResourceCounts {
        byType = Map.copyOf(byType);
    }

    /** Distinct resources of that type (0 when none). */
    public long of(String resourceType) {
        return byType.getOrDefault(resourceType, 0L);
    }
}
