package dev.gavel.engine.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a checked condition as DRL constraints over {@code dev.gavel.engine.eval.RequestFact}.
 *
 * <p>The security boundary (DESIGN.md section 3, NOTES.md): nothing spelled in a policy reaches
 * DRL except string literals, escaped here, and label/attribute keys, validated against a
 * regex and escaped. Property names come from {@link Field} constants, operators from enums,
 * integers from parsed longs; {@code contains/startsWith/endsWith/matches} call {@link
 * DrlFunctions} (RE2J, null-safe), never Drools' own {@code matches} (java.util.regex).
 */
public final class DrlConstraintWriter {
    /** Imports the package holding the generated rules needs. */
    public static final List<String> IMPORTS =
            List.of("dev.gavel.engine.eval.RequestFact", "dev.gavel.engine.expr.DrlFunctions");

    /** The fact type the constraints apply to. */
    public static final String FACT_TYPE = "RequestFact";

    private DrlConstraintWriter() {}

    /**
     * The condition as constraints of one {@code RequestFact( ... )} pattern, to be joined with
     * {@code ", "}: the top-level {@code &&} is split so Drools can index each part ({@code ==} on a
     * typed property is alpha-hashed).
     */
    public static List<String> constraints(Expr expr) {
        List<String> out = new ArrayList<>();
        splitAnd(expr, out);
        return out;
    }

    /** {@code RequestFact( c1, c2, ... )} for the condition. */
    public static String pattern(Expr expr) {
        return FACT_TYPE + "( " + String.join(", ", constraints(expr)) + " )";
    }

    /** One DRL boolean expression for the condition. */
    public static String expression(Expr expr) {
        if (expr instanceof Expr.And and) {
            return "(" + expression(and.left()) + " && " + expression(and.right()) + ")";
        }
        if (expr instanceof Expr.Or or) {
            return "(" + expression(or.left()) + " || " + expression(or.right()) + ")";
        }
        if (expr instanceof Expr.Not not) {
            // !!x is x (two-valued logic); Drools fails to JIT a triple negation around a call and logs a warning.
            return not.operand() instanceof Expr.Not inner
                    ? expression(inner.operand())
                    : "!(" + expression(not.operand()) + ")";
        }
        if (expr instanceof Expr.Compare c) {
            return access(c.field()) + " " + c.op().symbol() + " " + literal(c.value());
        }
        if (expr instanceof Expr.In in) {
            return access(in.field()) + " in ("
                    + in.values().stream().map(DrlConstraintWriter::literal).collect(Collectors.joining(", ")) + ")";
        }
        if (expr instanceof Expr.StringOp s) {
            String function = switch (s.kind()) {
                case CONTAINS -> "contains";
                case STARTS_WITH -> "startsWith";
                case ENDS_WITH -> "endsWith";
            };
            return "DrlFunctions." + function + "(" + access(s.field()) + ", "
                    + stringLiteral(s.value().value()) + ")";
        }
        if (expr instanceof Expr.Matches m) {
            return "DrlFunctions.matches(" + access(m.field()) + ", "
                    + stringLiteral(m.pattern().value()) + ")";
        }
        return access(((Expr.BoolField) expr).field()) + " == true";
    }

    /**
     * A DRL string literal holding exactly {@code value}. Escapes {@code \}, {@code "} and the
     * control characters DRL has escapes for; no {@code \}{@code u} escapes (the classic parser
     * rejects them; raw UTF-8 is read as is). Other control characters cannot be written safely
     * and are refused: the condition lexer never lets them into a literal.
     */
    public static String stringLiteral(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isISOControl(c)) {
                        throw new IllegalArgumentException(
                                String.format("control character U+%04X cannot be written as a DRL literal", (int) c));
                    }
                    out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    private static void splitAnd(Expr expr, List<String> out) {
        if (expr instanceof Expr.And and) {
            splitAnd(and.left(), out);
            splitAnd(and.right(), out);
        } else {
            out.add(expression(expr));
        }
    }

    private static String access(FieldRef field) {
        if (field instanceof FieldRef.Fixed fixed) {
            return fixed.field().drlProperty();
        }
        if (field instanceof FieldRef.Scope scope) {
            return "scope" + scope.index(); // an int in 0..7, checked by FieldRef.Scope
        }
        if (field instanceof FieldRef.Label label) {
            return "labels[" + key(label.key()) + "]";
        }
        FieldRef.Attribute attribute = (FieldRef.Attribute) field;
        String map = switch (attribute.type()) {
            case STRING -> "attributeStrings";
            case INTEGER -> "attributeLongs";
            case BOOLEAN -> "attributeBooleans";
        };
        return map + "[" + key(attribute.key()) + "]";
    }

    private static String key(String key) {
        if (!FieldRef.isValidKey(key)) {
            throw new IllegalArgumentException("invalid key: " + key);
        }
        return stringLiteral(key);
    }

    private static String literal(Literal literal) {
        if (literal instanceof Literal.Str s) {
            return stringLiteral(s.value());
        }
        if (literal instanceof Literal.Int i) {
            return Long.toString(i.longValue());
        }
        return Boolean.toString(((Literal.Bool) literal).booleanValue());
    }
}
