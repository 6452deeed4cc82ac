package dev.gavel.store.log;

import java.util.Objects;

/**
 * One policy definition: its name and the scope (dotted, {@code ""} = global) it is defined at.
 * Policies of the same name at different scopes are different definitions with separate usage and breakers.
 */
public record PolicyKey(String policy, String definedAt) {
    public PolicyKey {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(definedAt, "definedAt");
    }
}
