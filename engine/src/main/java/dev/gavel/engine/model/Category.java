package dev.gavel.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a policy is about (metadata.category). */
public enum Category {
    SECURITY("security"),
    PRIVACY("privacy"),
    HR("hr"),
    COMPLIANCE("compliance"),
    FINANCE("finance"),
    OPERATIONS("operations"),
    OTHER("other");

    private final String value;

    Category(String value) {
        this.value = value;
    }

    /** The spelling in YAML files. */
    public String value() {
        return value;
    }

    /** The constant spelled {@code value} in YAML, if any. */
    public static Optional<Category> fromValue(String value) {
        return Arrays.stream(values()).filter(v -> v.value.equals(value)).findFirst();
    }

    /** All spellings, in declaration order (for messages). */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(Category::value).toList();
    }

    @Override
    public String toString() {
        return value;
    }
}
