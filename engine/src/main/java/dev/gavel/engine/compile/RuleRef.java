package dev.gavel.engine.compile;

import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.ScopePath;
import java.util.List;
import java.util.Objects;

/**
 * The side table entry behind a generated rule {@code r<N>}: a rule carries only the number,
 * never a name, message or anything else a person wrote.
 *
 * @param policy the policy name
 * @param definedAt the scope of the nearest definition (the compiled variant)
 * @param rule the rule's name; built-in rules are named after the setting they check
 *     ({@code settings.allowed}, {@code settings.input}, ...), which no user rule can be called
 * @param kind whether a match decides, reports a field the policy needs and the request lacks, or
 *     selects a workload for a heartbeat policy
 * @param field for {@link Kind#MISSING}, the request field that is missing; empty otherwise
 * @param overriddenAt scopes below {@code definedAt} where a deeper definition of the policy takes
 *     over: a match for a request at or below one of them belongs to that definition, not this one
 */
public record RuleRef(
        String policy,
        ScopePath definedAt,
        String file,
        String rule,
        Kind kind,
        Effect effect,
        Enforcement enforcement,
        String message,
        String field,
        List<ScopePath> overriddenAt) {

    public enum Kind {
        DECIDE,
        MISSING,
        /** A heartbeat policy selects the workload request: never part of a decision (docs/workloads.md). */
        SELECT
    }

    public RuleRef {
        Objects.requireNonNull(policy);
        Objects.requireNonNull(definedAt);
        Objects.requireNonNull(rule);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(effect);
        Objects.requireNonNull(enforcement);
        message = message == null ? "" : message;
        field = field == null ? "" : field;
        overriddenAt = List.copyOf(overriddenAt);
    }

    /**
     * Whether this rule's variant is the one that applies at {@code scope} (the request's level
     * values): false when a deeper definition on the scope's path overrides it.
     */
    public boolean appliesAt(List<String> scope) {
        // Indexed loops: an iterator or a sub-list here was garbage on every match of every request.
        for (int o = 0; o < overriddenAt.size(); o++) {
            List<String> segments = overriddenAt.get(o).segments();
            if (scope.size() >= segments.size() && startsWith(scope, segments)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(List<String> scope, List<String> prefix) {
        for (int i = 0; i < prefix.size(); i++) {
            if (!scope.get(i).equals(prefix.get(i))) {
                return false;
            }
        }
        return true;
    }
}
