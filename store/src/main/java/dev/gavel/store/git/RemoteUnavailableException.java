package dev.gavel.store.git;

import java.time.Duration;

/**
 * The remote could not be reached (or kept moving) and nothing was written: the local branch was not moved and no
 * commit was claimed. Retry after {@link #retryAfter()} (HTTP 503 with Retry-After).
 */
public final class RemoteUnavailableException extends GitStoreException {
    private final Duration retryAfter;

    RemoteUnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** A reasonable wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
