package dev.gavel.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a location entry names: a location (region), a country or a continent. */
public enum LocationKind {
    LOCATION("location"),
    COUNTRY("country"),
    CONTINENT("continent");

    private final String value;

    LocationKind(String value) {
        this.value = value;
    }

    /** The spelling in YAML files. */
    public String value() {
        return value;
    }

    /** The constant spelled {@code value} in YAML, if any. */
    public static Optional<LocationKind> fromValue(String value) {
        return Arrays.stream(values()).filter(v -> v.value.equals(value)).findFirst();
    }

    /** All spellings, in declaration order (for messages). */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(LocationKind::value).toList();
    }

    @Override
    public String toString() {
        return value;
    }
}
