package dev.gavel.api.auth;

/** The auth configuration is unusable (secret too short, JWKS file unreadable, ...); the message says why. */
public final class AuthConfigException extends RuntimeException {
    public AuthConfigException(String message) {
        super(message);
    }

    public AuthConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
