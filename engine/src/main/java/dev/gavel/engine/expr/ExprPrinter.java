package dev.gavel.engine.expr;

import java.util.stream.Collectors;

/**
 * Writes a condition back as text that {@link Conditions#parse} reads as the same condition
 * (canonical field paths, minimal parentheses). Used in messages and to test the parser.
 */
public final class ExprPrinter {
    private ExprPrinter() {}

    public static String print(Expr expr) {
        if (expr instanceof Expr.Or or) {
            return print(or.left()) + " || " + group(or.right(), or.right() instanceof Expr.Or);
        }
        if (expr instanceof Expr.And and) {
            return group(and.left(), and.left() instanceof Expr.Or) + " && "
                    + group(and.right(), and.right() instanceof Expr.Or || and.right() instanceof Expr.And);
        }
        if (expr instanceof Expr.Not not) {
            return "!"
                    + group(
                            not.operand(),
                            !(not.operand() instanceof Expr.BoolField || not.operand() instanceof Expr.Not));
        }
        if (expr instanceof Expr.Compare c) {
            return c.field().path() + " " + c.op().symbol() + " " + print(c.value());
        }
        if (expr instanceof Expr.In in) {
            return in.field().path() + " in ["
                    + in.values().stream().map(ExprPrinter::print).collect(Collectors.joining(", ")) + "]";
        }
        if (expr instanceof Expr.StringOp s) {
            return s.field().path() + " " + s.kind().keyword() + " " + print(s.value());
        }
        if (expr instanceof Expr.Matches m) {
            return m.field().path() + " matches " + print(m.pattern());
        }
        return ((Expr.BoolField) expr).field().path();
    }

    public static String print(Literal literal) {
        if (literal instanceof Literal.Str s) {
            return quote(s.value());
        }
        if (literal instanceof Literal.Int i) {
            return Long.toString(i.longValue());
        }
        return Boolean.toString(((Literal.Bool) literal).booleanValue());
    }

    /** A string literal of the condition language (escapes {@code \" \\ \n \t}). */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String group(Expr expr, boolean parenthesise) {
        return parenthesise ? "(" + print(expr) + ")" : print(expr);
    }
}
