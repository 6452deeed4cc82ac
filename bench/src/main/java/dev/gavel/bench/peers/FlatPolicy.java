package dev.gavel.bench.peers;

import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import java.util.List;

/**
 * One policy file as every peer translates it: its variant already merged the way Gavel resolves it
 * (nearest definition wins, settings deep-merged, rules replaced by name), with the built-in type's
 * rules spelled out. One per file, as in Gavel: no copy per scope.
 *
 * @param id a short identifier unique in the workload ({@code p17}), usable as a name in any peer
 * @param definedAt the defining scope's segments; a request applies when its scope starts with them
 * @param overriddenAt scopes below where a deeper definition of the same name takes over: a request at
 *     or below one of them is not this definition's
 * @param resourceTypes empty = any resource type, including none
 * @param rules empty for {@code off} and paused policies, and for types that decide nothing
 */
public record FlatPolicy(
        String id,
        String name,
        String file,
        List<String> definedAt,
        List<List<String>> overriddenAt,
        Enforcement enforcement,
        List<String> resourceTypes,
        List<Rule> rules) {

    public FlatPolicy {
        definedAt = List.copyOf(definedAt);
        overriddenAt = overriddenAt.stream().map(List::copyOf).toList();
        resourceTypes = List.copyOf(resourceTypes);
        rules = List.copyOf(rules);
    }

    /**
     * A rule of the variant.
     *
     * @param id unique in the workload ({@code p17r2})
     * @param name the rule's name in Gavel's results ({@code settings.allowed}, {@code check-0})
     * @param reportsMissing a missing-field rule: its match rejects the request and never decides
     * @param when conjuncts, all must hold (besides the policy's scope and resource-type guard)
     * @param outcome what a match forces at least, given the policy's enforcement
     */
    public record Rule(
            String id, String name, boolean reportsMissing, Effect effect, List<Condition> when, Outcome outcome) {
        public Rule {
            when = List.copyOf(when);
        }
    }

    /** The outcome a match of a rule with {@code effect} forces under {@code enforcement} (Evaluation.decide). */
    public static Outcome outcomeOf(boolean reportsMissing, Effect effect, Enforcement enforcement) {
        if (reportsMissing) {
            // Only a policy that can change the decision refuses a request it cannot evaluate (engine.md).
            return enforcement == Enforcement.BLOCK || enforcement == Enforcement.WARN ? Outcome.REJECT : Outcome.ALLOW;
        }
        return switch (enforcement) {
            case BLOCK -> effect == Effect.DENY ? Outcome.DENY : Outcome.WARN;
            case WARN -> Outcome.WARN;
            case AUDIT, OFF -> Outcome.ALLOW; // audit is reported and never changes the decision
        };
    }

    /** Whether this definition decides for a request at {@code scope}. */
    public boolean appliesAt(List<String> scope) {
        if (scope.size() < definedAt.size()
                || !scope.subList(0, definedAt.size()).equals(definedAt)) {
            return false;
        }
        for (List<String> below : overriddenAt) {
            if (scope.size() >= below.size() && scope.subList(0, below.size()).equals(below)) {
                return false;
            }
        }
        return true;
    }
}
