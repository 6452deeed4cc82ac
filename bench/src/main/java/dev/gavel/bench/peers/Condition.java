package dev.gavel.bench.peers;

import dev.gavel.engine.expr.Expr;
import dev.gavel.engine.expr.Field;
import java.util.List;

/**
 * One conjunct of a flattened rule. A custom rule is one {@link Test} of its {@code when:} AST; a
 * built-in rule also needs the tests the condition language cannot write (a value is present, a
 * ratio), which Gavel's rule generator writes as raw DRL and which each peer writes in its own way.
 */
public sealed interface Condition {
    /** A checked {@code when:} condition; missing values follow docs/conditions.md. */
    record Test(Expr expr) implements Condition {}

    /** At least one of the fields has a value. */
    record AnyPresent(List<Field> fields) implements Condition {
        public AnyPresent {
            fields = List.copyOf(fields);
        }
    }

    /** None of the fields has a value. */
    record AllAbsent(List<Field> fields) implements Condition {
        public AllAbsent {
            fields = List.copyOf(fields);
        }
    }

    /** At least one of the fields has no value. */
    record AnyAbsent(List<Field> fields) implements Condition {
        public AnyAbsent {
            fields = List.copyOf(fields);
        }
    }

    /** {@code tokens.input > ratio * tokens.output}, both present (an output of 0 with any input is over). */
    record RatioOver(long ratio) implements Condition {}
}
