package dev.gavel.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a policy applies to (spec.resourceTypes; empty = all). */
public enum ResourceType {
    MODEL("model"),
    FUNCTION("function"),
    AGENT("agent"),
    SANDBOX("sandbox"),
    JOB("job"),
    /** A pod a cluster reported (docs/workloads.md). */
    POD("pod");

    private final String value;

    ResourceType(String value) {
        this.value = value;
    }

    /** The spelling in YAML files. */
    public String value() {
        return value;
    }

    /** The constant spelled {@code value} in YAML, if any. */
    public static Optional<ResourceType> fromValue(String value) {
        return Arrays.stream(values()).filter(v -> v.value.equals(value)).findFirst();
    }

    /** All spellings, in declaration order (for messages). */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(ResourceType::value).toList();
    }

    @Override
    public String toString() {
        return value;
    }
}
