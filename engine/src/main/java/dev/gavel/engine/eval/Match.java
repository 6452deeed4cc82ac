package dev.gavel.engine.eval;

import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.ScopePath;

/**
 * A rule that matched a request.
 *
 * @param definedAt the scope of the policy definition that applied (its nearest override)
 * @param enforcement the enforcement the decision used: the policy's, or audit while its circuit
 *     breaker is open
 * @param breakerOpen whether the policy's circuit breaker was open
 */
public record Match(
        String policy,
        ScopePath definedAt,
        String file,
        String rule,
        Effect effect,
        Enforcement enforcement,
        String message,
        boolean breakerOpen) {}
