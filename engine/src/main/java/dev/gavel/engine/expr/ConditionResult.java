package dev.gavel.engine.expr;

import java.util.List;

/** The outcome of {@link Conditions#parse}: a checked condition, or why it was rejected. */
public sealed interface ConditionResult {
    record Checked(Expr expr) implements ConditionResult {}

    record Rejected(List<ConditionError> errors) implements ConditionResult {
        public Rejected {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs at least one error");
            }
        }
    }
}
