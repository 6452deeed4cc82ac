package dev.gavel.engine.expr;

import java.util.List;

/**
 * A checked condition. Predicates always have the field on the left ({@code 5 < tokens.input} is
 * stored as {@code tokens.input > 5}) and a literal on the right.
 */
public sealed interface Expr {
    Position pos();

    record And(Expr left, Expr right, Position pos) implements Expr {}

    record Or(Expr left, Expr right, Position pos) implements Expr {}

    record Not(Expr operand, Position pos) implements Expr {}

    /** {@code field op literal}; the literal has the field's type. */
    record Compare(FieldRef field, CompareOp op, Literal value, Position pos) implements Expr {}

    /** {@code field in [v1, v2, ...]}; at least one value, all of the field's type. */
    record In(FieldRef field, List<Literal> values, Position pos) implements Expr {
        public In {
            values = List.copyOf(values);
        }
    }

    /** {@code field contains|startsWith|endsWith "text"} on a string field. */
    record StringOp(FieldRef field, StringOpKind kind, Literal.Str value, Position pos) implements Expr {}

    /** {@code field matches "re2"}: the whole value matches the RE2 pattern. */
    record Matches(FieldRef field, Literal.Str pattern, Position pos) implements Expr {}

    /** A boolean field alone: {@code attributes.internal} means {@code attributes.internal == true}. */
    record BoolField(FieldRef field, Position pos) implements Expr {}
}
