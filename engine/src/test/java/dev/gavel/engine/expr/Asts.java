package dev.gavel.engine.expr;

import java.util.List;

/** Test helpers over ASTs. */
final class Asts {
    private Asts() {}

    /** The same tree with every position set to {@link Position#NONE}: parsed and built trees compare equal. */
    static Expr strip(Expr e) {
        Position n = Position.NONE;
        if (e instanceof Expr.And a) {
            return new Expr.And(strip(a.left()), strip(a.right()), n);
        }
        if (e instanceof Expr.Or o) {
            return new Expr.Or(strip(o.left()), strip(o.right()), n);
        }
        if (e instanceof Expr.Not x) {
            return new Expr.Not(strip(x.operand()), n);
        }
        if (e instanceof Expr.Compare c) {
            return new Expr.Compare(strip(c.field()), c.op(), strip(c.value()), n);
        }
        if (e instanceof Expr.In in) {
            List<Literal> values = in.values().stream().map(Asts::strip).toList();
            return new Expr.In(strip(in.field()), values, n);
        }
        if (e instanceof Expr.StringOp s) {
            return new Expr.StringOp(strip(s.field()), s.kind(), (Literal.Str) strip(s.value()), n);
        }
        if (e instanceof Expr.Matches m) {
            return new Expr.Matches(strip(m.field()), (Literal.Str) strip(m.pattern()), n);
        }
        return new Expr.BoolField(strip(((Expr.BoolField) e).field()), n);
    }

    static FieldRef strip(FieldRef f) {
        Position n = Position.NONE;
        if (f instanceof FieldRef.Fixed x) {
            return new FieldRef.Fixed(x.field(), n);
        }
        if (f instanceof FieldRef.Scope s) {
            return new FieldRef.Scope(s.index(), s.level(), n);
        }
        if (f instanceof FieldRef.Label l) {
            return new FieldRef.Label(l.key(), n);
        }
        FieldRef.Attribute a = (FieldRef.Attribute) f;
        return new FieldRef.Attribute(a.key(), a.type(), n);
    }

    static Literal strip(Literal l) {
        Position n = Position.NONE;
        if (l instanceof Literal.Str s) {
            return new Literal.Str(s.value(), n);
        }
        if (l instanceof Literal.Int i) {
            return new Literal.Int(i.longValue(), n);
        }
        return new Literal.Bool(((Literal.Bool) l).booleanValue(), n);
    }

    /** Parses a condition the test expects to be valid, with the default schema. */
    static Expr parse(String text) {
        ConditionResult result = Conditions.parse(text, RequestSchema.DEFAULT);
        if (result instanceof ConditionResult.Checked checked) {
            return checked.expr();
        }
        throw new AssertionError(
                "expected '" + text + "' to parse, got " + ((ConditionResult.Rejected) result).errors());
    }

    /** Parses a condition the test expects to be rejected; returns its errors. */
    static List<ConditionError> errors(String text) {
        ConditionResult result = Conditions.parse(text, RequestSchema.DEFAULT);
        if (result instanceof ConditionResult.Rejected rejected) {
            return rejected.errors();
        }
        throw new AssertionError(
                "expected '" + text + "' to be rejected, got " + ((ConditionResult.Checked) result).expr());
    }
}
