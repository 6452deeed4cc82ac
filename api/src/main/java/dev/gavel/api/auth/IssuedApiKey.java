package dev.gavel.api.auth;

import java.util.Objects;

/**
 * A key just created: its description and the plaintext token, which exists only here (the store
 * keeps a hash).
 */
public record IssuedApiKey(ApiKey key, String token) {
    public IssuedApiKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(token, "token");
    }

    /** Without the token, so that logging this record by accident leaks nothing. */
    @Override
    public String toString() {
        return "IssuedApiKey[key=" + key + ", token=<redacted>]";
    }
}
