package dev.gavel.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The outcome of an evaluation, as written in policy tests. */
public enum Decision {
    ALLOW("allow"),
    WARN("warn"),
    DENY("deny");

    private final String value;

    Decision(String value) {
        this.value = value;
    }

    /** The spelling in YAML files. */
    public String value() {
        return value;
    }

    /** The constant spelled {@code value} in YAML, if any. */
    public static Optional<Decision> fromValue(String value) {
        return Arrays.stream(values()).filter(v -> v.value.equals(value)).findFirst();
    }

    /** All spellings, in declaration order (for messages). */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(Decision::value).toList();
    }

    @Override
    public String toString() {
        return value;
    }
}
