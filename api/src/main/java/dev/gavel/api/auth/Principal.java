package dev.gavel.api.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: the name used as commit author, the role, and the tenants the caller is limited
 * to (empty = every tenant).
 */
public record Principal(String name, Role role, Optional<Set<String>> tenants) {
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        tenants = tenants == null ? Optional.empty() : tenants.map(Set::copyOf);
    }

    /** Whether the caller may see scopes of {@code tenant}; global scope policies are visible to all. */
    public boolean canSeeTenant(String tenant) {
        return tenants.isEmpty() || tenants.get().contains(tenant);
    }
}
