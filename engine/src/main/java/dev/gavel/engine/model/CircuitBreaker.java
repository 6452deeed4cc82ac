package dev.gavel.engine.model;

import java.time.Duration;
import java.util.Optional;

/**
 * Trips a policy to audit when it denies too much: more than {@code maxDenyRate} of at least
 * {@code minRequests} evaluations within {@code window}, or (when given) more than {@code maxErrors} errors.
 */
public record CircuitBreaker(double maxDenyRate, Duration window, int minRequests, Optional<Integer> maxErrors) {
    public CircuitBreaker {
        if (!(maxDenyRate >= 0 && maxDenyRate <= 1)) {
            throw new IllegalArgumentException("maxDenyRate must be between 0 and 1");
        }
        if (window == null || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window must be a positive duration");
        }
        if (minRequests < 1) {
            throw new IllegalArgumentException("minRequests must be at least 1");
        }
        maxErrors = maxErrors == null ? Optional.empty() : maxErrors;
        if (maxErrors.isPresent() && maxErrors.get() < 0) {
            throw new IllegalArgumentException("maxErrors must not be negative");
        }
    }
}
