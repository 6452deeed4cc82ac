package dev.gavel.api.compat;

import dev.gavel.api.auth.Role;
import java.util.Locale;

/** The seeds' roles in Gavel's: runtime = reader, member (and a CI token) = editor, owner and admin = admin. */
public final class SeedRoles {
    private SeedRoles() {}

    public static Role role(String seedRole) {
        return switch (seedRole.toLowerCase(Locale.ROOT)) {
            case "runtime", "reader", "viewer" -> Role.READER;
            case "member", "editor", "ci" -> Role.EDITOR;
            case "owner", "admin" -> Role.ADMIN;
            default -> throw new IllegalArgumentException("no Gavel role for the seed role '" + seedRole + "'");
        };
    }
}
