package dev.gavel.api.auth;

import java.util.Arrays;
import java.util.Optional;

/** What a caller may do; each role includes the ones before it. */
public enum Role {
    /** Reads and evaluations (runtimes). */
    READER,
    /** Writes and lifecycle (CI, people). */
    EDITOR,
    /** Delete, pause-all, resume-all, revert, rollback, token management. */
    ADMIN;

    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Role> fromValue(String value) {
        return Arrays.stream(values()).filter(r -> r.value().equals(value)).findFirst();
    }
}
