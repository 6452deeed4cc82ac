package dev.gavel.api.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An API key as listed: everything but the secret, which is never kept.
 *
 * @param tenants the tenants the key is limited to; empty = every tenant
 */
public record ApiKey(String id, String name, Role role, Optional<Set<String>> tenants, Instant createdAt) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        tenants = tenants == null ? Optional.empty() : tenants.map(Set::copyOf);
    }

    /** The caller a request presenting this key acts as. */
    public Principal principal() {
        return new Principal(name, role, tenants);
    }
}
