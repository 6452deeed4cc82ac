package dev.gavel.engine.eval;

import dev.gavel.engine.model.ScopePath;

/**
 * Which policies' circuit breakers are open. Breaker state changes without a commit, so it is not
 * part of a snapshot: the evaluation asks it for every match.
 */
@FunctionalInterface
public interface CircuitBreakers {
    CircuitBreakers NONE_OPEN = (policy, definedAt) -> false;

    boolean isOpen(String policy, ScopePath definedAt);
}
