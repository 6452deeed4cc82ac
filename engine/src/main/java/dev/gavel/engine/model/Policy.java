package dev.gavel.engine.model;

import java.util.Objects;

/** One policy file ({@code apiVersion: gavel/v1}, {@code kind: Policy}). */
public record Policy(Metadata metadata, Spec spec) {
    public static final String API_VERSION = "gavel/v1";
    public static final String KIND = "Policy";

    public Policy {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
    }

    public String name() {
        return metadata.name();
    }

    public PolicyType type() {
        return spec.type();
    }

    public Policy withMetadata(Metadata m) {
        return new Policy(m, spec);
    }

    public Policy withSpec(Spec s) {
        return new Policy(metadata, s);
    }
}
