package dev.gavel.bench.peers;

import dev.gavel.engine.expr.CompareOp;
import dev.gavel.engine.expr.Expr;
import dev.gavel.engine.expr.Field;
import dev.gavel.engine.expr.FieldRef;
import dev.gavel.engine.expr.Literal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes flat conditions in a Java-like expression language over {@link RequestMap} (MVEL, Aviator):
 * the operators ({@code && || ! == < ...}) are the same, the dialect says how to read a value, write a
 * literal and call the string tests. Every test on a value first checks it is not null, which gives
 * Gavel's missing-value rules (a test on a missing value is false, {@code !=} is true).
 */
public abstract class ExpressionWriter {
    /** The expression reading the request map entry {@code key} ({@code r.flavorType}). */
    protected abstract String entry(String key);

    /** The expression reading {@code key} of the nested map {@code map} (labels, attributes). */
    protected abstract String nested(String map, String key);

    // Java-like defaults (MVEL and CEL write these alike); a dialect overrides what it writes otherwise.

    protected String nullLiteral() {
        return "null";
    }

    protected String string(String value) {
        return javaString(value);
    }

    protected abstract String integer(long value);

    protected String startsWith(String value, String prefix) {
        return value + ".startsWith(" + javaString(prefix) + ")";
    }

    protected String endsWith(String value, String suffix) {
        return value + ".endsWith(" + javaString(suffix) + ")";
    }

    protected String contains(String value, String part) {
        return value + ".contains(" + javaString(part) + ")";
    }

    /** Whole-value match of an RE2 pattern (the dialect anchors it if its operator searches). */
    protected abstract String matches(String value, String re2);

    public String conjunction(FlatPolicy policy, FlatPolicy.Rule rule, boolean withScope) {
        StringBuilder out = new StringBuilder();
        if (withScope) {
            for (int i = 0; i < policy.definedAt().size(); i++) {
                and(out, entry("scope" + i) + " == " + string(policy.definedAt().get(i)));
            }
            for (List<String> below : policy.overriddenAt()) {
                and(out, "!(" + scopeIs(below) + ")");
            }
        }
        if (!policy.resourceTypes().isEmpty()) {
            and(
                    out,
                    "("
                            + policy.resourceTypes().stream()
                                    .map(t -> entry("kind") + " == " + string(t))
                                    .collect(Collectors.joining(" || "))
                            + ")");
        }
        for (Condition c : rule.when()) {
            and(out, condition(c));
        }
        return out.isEmpty() ? "true" : out.toString();
    }

    /** The request's scope is at or below {@code segments}. */
    public String scopeIs(List<String> segments) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            and(out, entry("scope" + i) + " == " + string(segments.get(i)));
        }
        return out.isEmpty() ? "true" : out.toString();
    }

    private static void and(StringBuilder out, String term) {
        if (!out.isEmpty()) {
            out.append(" && ");
        }
        out.append(term);
    }

    public String condition(Condition c) {
        if (c instanceof Condition.Test t) {
            return expr(t.expr());
        }
        if (c instanceof Condition.AnyPresent a) {
            return "("
                    + a.fields().stream()
                            .map(f -> present(entry(RequestMap.key(f))))
                            .collect(Collectors.joining(" || "))
                    + ")";
        }
        if (c instanceof Condition.AllAbsent a) {
            return "("
                    + a.fields().stream()
                            .map(f -> absent(entry(RequestMap.key(f))))
                            .collect(Collectors.joining(" && ")) + ")";
        }
        if (c instanceof Condition.AnyAbsent a) {
            return "("
                    + a.fields().stream()
                            .map(f -> absent(entry(RequestMap.key(f))))
                            .collect(Collectors.joining(" || ")) + ")";
        }
        long ratio = ((Condition.RatioOver) c).ratio();
        String in = entry(RequestMap.key(Field.TOKENS_INPUT));
        String out = entry(RequestMap.key(Field.TOKENS_OUTPUT));
        return "(" + present(in) + " && " + present(out) + " && " + in + " > " + integer(ratio) + " * " + out + ")";
    }

    public String expr(Expr e) {
        if (e instanceof Expr.And a) {
            return "(" + expr(a.left()) + " && " + expr(a.right()) + ")";
        }
        if (e instanceof Expr.Or o) {
            return "(" + expr(o.left()) + " || " + expr(o.right()) + ")";
        }
        if (e instanceof Expr.Not n) {
            return "!" + expr(n.operand());
        }
        if (e instanceof Expr.Compare c) {
            String v = value(c.field());
            String test = "(" + present(v) + " && " + v + " " + (c.op() == CompareOp.NE ? "==" : c.op().symbol()) + " "
                    + literal(c.value()) + ")";
            return c.op() == CompareOp.NE ? "!" + test : test;
        }
        if (e instanceof Expr.In in) {
            String v = value(in.field());
            return "(" + present(v) + " && ("
                    + in.values().stream().map(l -> v + " == " + literal(l)).collect(Collectors.joining(" || ")) + "))";
        }
        if (e instanceof Expr.StringOp s) {
            String v = value(s.field());
            String part = s.value().value();
            return "(" + present(v) + " && "
                    + switch (s.kind()) {
                        case STARTS_WITH -> startsWith(v, part);
                        case ENDS_WITH -> endsWith(v, part);
                        case CONTAINS -> contains(v, part);
                    }
                    + ")";
        }
        if (e instanceof Expr.Matches m) {
            String v = value(m.field());
            return "(" + present(v) + " && " + matches(v, m.pattern().value()) + ")";
        }
        String v = value(((Expr.BoolField) e).field());
        return "(" + present(v) + " && " + v + " == true)";
    }

    /** {@code value} has a value. */
    protected String present(String value) {
        return value + " != " + nullLiteral();
    }

    protected String absent(String value) {
        return value + " == " + nullLiteral();
    }

    private String value(FieldRef f) {
        if (f instanceof FieldRef.Fixed fixed) {
            return entry(RequestMap.key(fixed.field()));
        }
        if (f instanceof FieldRef.Scope s) {
            return entry("scope" + s.index());
        }
        if (f instanceof FieldRef.Label l) {
            return nested("labels", l.key());
        }
        FieldRef.Attribute a = (FieldRef.Attribute) f;
        return nested(
                switch (a.type()) {
                    case STRING -> "attrString";
                    case INTEGER -> "attrLong";
                    case BOOLEAN -> "attrBool";
                },
                a.key());
    }

    private String literal(Literal l) {
        if (l instanceof Literal.Str s) {
            return string(s.value());
        }
        if (l instanceof Literal.Int i) {
            return integer(i.longValue());
        }
        return String.valueOf(l.value());
    }

    /** A double-quoted string literal with Java escapes, which MVEL and Aviator both read. */
    public static String javaString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
