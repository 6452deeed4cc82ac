package dev.gavel.engine.resolve;

import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyId;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.ScopePath;
import java.util.Objects;

/** A policy as one file defines it, at the scope of the file's directory. */
public record PolicyDefinition(PolicyPath path, Policy policy) {
    public PolicyDefinition {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(policy, "policy");
        if (!path.name().equals(policy.name())) {
            throw new IllegalArgumentException(
                    "file " + path.path() + " defines '" + policy.name() + "', not '" + path.name() + "'");
        }
    }

    public ScopePath scope() {
        return path.scope();
    }

    /** The policy's stable id (derived from scope and name: {@link PolicyId}). */
    public PolicyId id() {
        return PolicyId.of(path);
    }

    public String name() {
        return path.name();
    }

    public String file() {
        return path.path();
    }
}
