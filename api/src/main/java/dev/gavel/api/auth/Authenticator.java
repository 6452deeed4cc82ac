package dev.gavel.api.auth;

import java.util.Optional;

/** Turns an {@code Authorization} header into a principal. */
@FunctionalInterface
public interface Authenticator {
    /**
     * @param authorizationHeader the header's value, or null when absent
     * @return the caller, or empty when the credentials are missing, unknown, expired or malformed
     *     (the server answers 401 without saying which)
     */
    Optional<Principal> authenticate(String authorizationHeader);
}
