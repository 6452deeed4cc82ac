package dev.gavel.api.wire;

/** A policy's breaker after a reset. */
public record BreakerReset(
        @Doc(pattern = Patterns.SCOPE) String scope,
        @Doc(pattern = Patterns.NAME) String name,
        CircuitBreaker circuitBreaker) {}
