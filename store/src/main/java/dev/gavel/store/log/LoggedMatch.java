package dev.gavel.store.log;

import java.util.Objects;

/**
 * A rule that matched an evaluation, as logged.
 *
 * @param definedAt dotted scope of the definition that applied ({@code ""} = global)
 * @param enforcement the enforcement the decision used (audit while the policy's breaker was open)
 * @param effect deny or warn
 */
public record LoggedMatch(
        String policy, String definedAt, String enforcement, String effect, String rule, String message) {
    public LoggedMatch {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(definedAt, "definedAt");
        Objects.requireNonNull(enforcement, "enforcement");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(rule, "rule");
    }

    public PolicyKey key() {
        return new PolicyKey(policy, definedAt);
    }
}
