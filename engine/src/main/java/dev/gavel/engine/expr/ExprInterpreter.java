package dev.gavel.engine.expr;

import com.google.re2j.Pattern;
import dev.gavel.engine.eval.Request;

/**
 * Evaluates a condition directly over a {@link Request}: the reference the generated DRL is
 * tested against. A missing value (or an attribute of another type than the condition's) makes
 * every predicate on it false except {@code !=}, which is true; {@code !} is plain negation.
 */
public final class ExprInterpreter {
    private ExprInterpreter() {}

    public static boolean eval(Expr expr, Request request) {
        if (expr instanceof Expr.And and) {
            return eval(and.left(), request) && eval(and.right(), request);
        }
        if (expr instanceof Expr.Or or) {
            return eval(or.left(), request) || eval(or.right(), request);
        }
        if (expr instanceof Expr.Not not) {
            return !eval(not.operand(), request);
        }
        if (expr instanceof Expr.Compare c) {
            Object value = value(c.field(), request);
            if (value == null) {
                return c.op() == CompareOp.NE;
            }
            Object literal = c.value().value();
            return switch (c.op()) {
                case EQ -> value.equals(literal);
                case NE -> !value.equals(literal);
                case LT -> (Long) value < (Long) literal;
                case LE -> (Long) value <= (Long) literal;
                case GT -> (Long) value > (Long) literal;
                case GE -> (Long) value >= (Long) literal;
            };
        }
        if (expr instanceof Expr.In in) {
            Object value = value(in.field(), request);
            return value != null && in.values().stream().anyMatch(v -> value.equals(v.value()));
        }
        if (expr instanceof Expr.StringOp s) {
            String value = (String) value(s.field(), request);
            String part = s.value().value();
            return value != null
                    && switch (s.kind()) {
                        case CONTAINS -> value.contains(part);
                        case STARTS_WITH -> value.startsWith(part);
                        case ENDS_WITH -> value.endsWith(part);
                    };
        }
        if (expr instanceof Expr.Matches m) {
            String value = (String) value(m.field(), request);
            return value != null && Pattern.matches(m.pattern().value(), value);
        }
        return Boolean.TRUE.equals(value(((Expr.BoolField) expr).field(), request));
    }

    /** The field's value in the request, or null when missing or of another type than the field's. */
    public static Object value(FieldRef field, Request request) {
        if (field instanceof FieldRef.Fixed fixed) {
            return switch (fixed.field()) {
                case RESOURCE_TYPE -> request.resource().type();
                case RESOURCE_NAME -> request.resource().name();
                case ACTION -> request.action();
                case LOCATION_NAME -> request.location().name();
                case LOCATION_COUNTRY -> request.location().country();
                case LOCATION_CONTINENT -> request.location().continent();
                case FLAVOR_NAME -> request.flavor().name();
                case FLAVOR_TYPE -> request.flavor().type();
                case TOKENS_INPUT -> request.tokens().input();
                case TOKENS_OUTPUT -> request.tokens().output();
                case TOKENS_TOTAL -> request.tokens().total();
            };
        }
        if (field instanceof FieldRef.Scope scope) {
            return scope.index() < request.scope().size() ? request.scope().get(scope.index()) : null;
        }
        if (field instanceof FieldRef.Label label) {
            return request.resource().labels().get(label.key());
        }
        FieldRef.Attribute attribute = (FieldRef.Attribute) field;
        Object value = request.attributes().get(attribute.key());
        Class<?> expected = switch (attribute.type()) {
            case STRING -> String.class;
            case INTEGER -> Long.class;
            case BOOLEAN -> Boolean.class;
        };
        return expected.isInstance(value) ? value : null;
    }
}
