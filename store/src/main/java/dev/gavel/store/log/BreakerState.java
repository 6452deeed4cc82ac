package dev.gavel.store.log;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The persisted state of one policy definition's circuit breaker.
 *
 * @param openedAt when it last tripped
 * @param reason why it tripped, e.g. {@code deny rate 0.62 > 0.5 over 120 evaluations in PT5M}
 */
public record BreakerState(
        PolicyKey key, boolean open, Optional<Instant> openedAt, Optional<String> reason, Instant changedAt) {
    public BreakerState {
        Objects.requireNonNull(key, "key");
        openedAt = openedAt == null ? Optional.empty() : openedAt;
        reason = reason == null ? Optional.empty() : reason;
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
