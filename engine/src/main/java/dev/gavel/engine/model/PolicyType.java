package dev.gavel.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** spec.type: a built-in type with typed settings, or custom (rules only). */
public enum PolicyType {
    LOCATION("location"),
    FLAVOR("flavor"),
    MAX_TOKENS("maxTokens"),
    HEARTBEAT("heartbeat"),
    SLA("sla"),
    DOCUMENT("document"),
    CUSTOM("custom");

    private final String value;

    PolicyType(String value) {
        this.value = value;
    }

    /** The spelling in YAML files. */
    public String value() {
        return value;
    }

    /** The constant spelled {@code value} in YAML, if any. */
    public static Optional<PolicyType> fromValue(String value) {
        return Arrays.stream(values()).filter(v -> v.value.equals(value)).findFirst();
    }

    /** All spellings, in declaration order (for messages). */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(PolicyType::value).toList();
    }

    @Override
    public String toString() {
        return value;
    }
}
