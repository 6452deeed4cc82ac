package dev.gavel.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** spec.enforcement, weakest first: the order is what promote/demote move along. */
public enum Enforcement {
    OFF("off"),
    AUDIT("audit"),
    WARN("warn"),
    BLOCK("block");

    private final String value;

    Enforcement(String value) {
        this.value = value;
    }

    /** The spelling in YAML files. */
    public String value() {
        return value;
    }

    /** The constant spelled {@code value} in YAML, if any. */
    public static Optional<Enforcement> fromValue(String value) {
        return Arrays.stream(values()).filter(v -> v.value.equals(value)).findFirst();
    }

    /** All spellings, in declaration order (for messages). */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(Enforcement::value).toList();
    }

    /** One step stronger (promote); empty for {@code block}. */
    public Optional<Enforcement> next() {
        return ordinal() + 1 < values().length ? Optional.of(values()[ordinal() + 1]) : Optional.empty();
    }

    /** One step weaker (demote); empty for {@code off}. */
    public Optional<Enforcement> previous() {
        return ordinal() > 0 ? Optional.of(values()[ordinal() - 1]) : Optional.empty();
    }

    /** True when this enforcement is weaker than {@code other} (what a locked policy forbids below its scope). */
    public boolean isWeakerThan(Enforcement other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return value;
    }
}
