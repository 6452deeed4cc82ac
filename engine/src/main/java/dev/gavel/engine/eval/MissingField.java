package dev.gavel.engine.eval;

import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.ScopePath;

/**
 * A request field that an applicable policy needs to decide and the request does not carry: that
 * policy could not evaluate the request.
 *
 * @param enforcement the policy's enforcement for this request: {@code audit} when its circuit breaker is open
 * @param breakerOpen the policy's circuit breaker is open
 */
public record MissingField(
        String policy,
        ScopePath definedAt,
        String field,
        String message,
        Enforcement enforcement,
        boolean breakerOpen) {

    /**
     * Whether the request must be refused for it. A policy that cannot change the decision (audit, or an open
     * breaker) cannot refuse a request either: its failure is reported, the request is decided without it.
     */
    public boolean refuses() {
        return enforcement == Enforcement.WARN || enforcement == Enforcement.BLOCK;
    }
}
