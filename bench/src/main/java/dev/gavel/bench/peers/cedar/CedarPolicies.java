package dev.gavel.bench.peers.cedar;

import dev.gavel.bench.peers.Condition;
import dev.gavel.bench.peers.FlatPolicy;
import dev.gavel.bench.peers.LikePatterns;
import dev.gavel.engine.expr.Expr;
import dev.gavel.engine.expr.Field;
import dev.gavel.engine.expr.FieldRef;
import dev.gavel.engine.expr.Literal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes flat policies as Cedar. Scopes are an entity hierarchy ({@code Gavel::Scope::"tenant-01.chat"}
 * is a parent of {@code "tenant-01.chat.bot"}; the request's resource is in its scope), so a definition's
 * scope is the policy head {@code resource in Gavel::Scope::"..."} and each deeper override an
 * {@code unless} clause. One {@code forbid} per rule, with its id as the Cedar policy id; a single
 * {@code permit} lets every request through, so which forbids were satisfied (the diagnostics' reasons)
 * says the outcome.
 *
 * <p>Request model: the resource entity carries {@code kind} (resource.type), {@code name} and a
 * {@code labels} record; the context carries {@code scope0..}, {@code action}, {@code locationName},
 * ..., {@code tokensTotal} when present, and the attributes split by type into {@code attrString},
 * {@code attrLong} and {@code attrBool} records (Gavel treats an attribute of another type than the
 * condition's as missing; Cedar without a schema would raise an error on {@code <} instead).
 */
public final class CedarPolicies {
    private CedarPolicies() {}

    public static final String PERMIT_ALL = "permit (principal, action, resource);";

    /** Cedar text of one rule of {@code policy}: a forbid whose id the caller assigns. */
    public static String forbid(FlatPolicy policy, FlatPolicy.Rule rule) {
        StringBuilder out = new StringBuilder();
        out.append("@rule(\"").append(escape(policy.name() + "/" + rule.name())).append("\")\n");
        out.append("forbid (principal, action, resource");
        if (!policy.definedAt().isEmpty()) {
            out.append(" in ").append(scopeUid(policy.definedAt()));
        }
        out.append(")\n");
        List<String> when = new ArrayList<>();
        if (!policy.resourceTypes().isEmpty()) {
            when.add("resource has kind && " + list(policy.resourceTypes()) + ".contains(resource.kind)");
        }
        for (Condition c : rule.when()) {
            when.add(condition(c));
        }
        out.append("when { ")
                .append(when.isEmpty() ? "true" : String.join(" && ", when))
                .append(" }");
        if (!policy.overriddenAt().isEmpty()) {
            out.append("\nunless { ")
                    .append(policy.overriddenAt().stream()
                            .map(s -> "resource in " + scopeUid(s))
                            .collect(Collectors.joining(" || ")))
                    .append(" }");
        }
        return out.append(";").toString();
    }

    public static String scopeUid(List<String> segments) {
        return "Gavel::Scope::\"" + escape(String.join(".", segments)) + "\"";
    }

    static String condition(Condition c) {
        if (c instanceof Condition.Test t) {
            return expr(t.expr());
        }
        if (c instanceof Condition.AnyPresent a) {
            return "(" + a.fields().stream().map(CedarPolicies::has).collect(Collectors.joining(" || ")) + ")";
        }
        if (c instanceof Condition.AllAbsent a) {
            return a.fields().stream().map(f -> "!(" + has(f) + ")").collect(Collectors.joining(" && "));
        }
        if (c instanceof Condition.AnyAbsent a) {
            return "(" + a.fields().stream().map(f -> "!(" + has(f) + ")").collect(Collectors.joining(" || ")) + ")";
        }
        long ratio = ((Condition.RatioOver) c).ratio();
        return "(context has tokensInput && context has tokensOutput && context.tokensInput > " + ratio
                + " * context.tokensOutput)";
    }

    static String expr(Expr e) {
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
            String test = "(" + has(c.field()) + " && " + value(c.field()) + " "
                    + switch (c.op()) {
                        case EQ, NE -> "==";
                        case LT -> "<";
                        case LE -> "<=";
                        case GT -> ">";
                        case GE -> ">=";
                    }
                    + " " + literal(c.value()) + ")";
            return c.op() == dev.gavel.engine.expr.CompareOp.NE ? "!" + test : test; // missing: != is true
        }
        if (e instanceof Expr.In in) {
            return "(" + has(in.field()) + " && ["
                    + in.values().stream().map(CedarPolicies::literal).collect(Collectors.joining(", ")) + "].contains("
                    + value(in.field()) + "))";
        }
        if (e instanceof Expr.StringOp s) {
            String text = likeLiteral(s.value().value());
            String pattern = switch (s.kind()) {
                case STARTS_WITH -> text + "*";
                case ENDS_WITH -> "*" + text;
                case CONTAINS -> "*" + text + "*";
            };
            return "(" + has(s.field()) + " && " + value(s.field()) + " like \"" + pattern + "\")";
        }
        if (e instanceof Expr.Matches m) {
            LikePatterns like = LikePatterns.of(m.pattern().value());
            String any = like.alternatives().stream()
                    .map(alt -> value(m.field()) + " like \""
                            + alt.stream()
                                    .map(p -> p == null ? "*" : likeLiteral(p))
                                    .collect(Collectors.joining()) + "\"")
                    .collect(Collectors.joining(" || "));
            return "(" + has(m.field()) + " && (" + any + "))";
        }
        FieldRef f = ((Expr.BoolField) e).field();
        return "(" + has(f) + " && " + value(f) + " == true)";
    }

    /** The record and attribute a field lives in: {@code {"context", "action"}}. */
    private static String[] place(FieldRef f) {
        if (f instanceof FieldRef.Fixed fixed) {
            return place(fixed.field());
        }
        if (f instanceof FieldRef.Scope s) {
            return new String[] {"context", "scope" + s.index()};
        }
        if (f instanceof FieldRef.Label l) {
            return new String[] {"resource.labels", l.key()};
        }
        FieldRef.Attribute a = (FieldRef.Attribute) f;
        return new String[] {
            switch (a.type()) {
                case STRING -> "context.attrString";
                case INTEGER -> "context.attrLong";
                case BOOLEAN -> "context.attrBool";
            },
            a.key()
        };
    }

    private static String[] place(Field f) {
        return switch (f) {
            case RESOURCE_TYPE -> new String[] {"resource", "kind"};
            case RESOURCE_NAME -> new String[] {"resource", "name"};
            default -> new String[] {"context", CedarRequests.contextName(f)};
        };
    }

    private static String has(FieldRef f) {
        String[] p = place(f);
        return p[0] + " has \"" + escape(p[1]) + "\"";
    }

    private static String has(Field f) {
        String[] p = place(f);
        return p[0] + " has " + p[1];
    }

    private static String value(FieldRef f) {
        String[] p = place(f);
        return p[0] + "[\"" + escape(p[1]) + "\"]";
    }

    private static String literal(Literal l) {
        if (l instanceof Literal.Str s) {
            return "\"" + escape(s.value()) + "\"";
        }
        return String.valueOf(l.value());
    }

    private static String list(List<String> values) {
        return values.stream().map(v -> "\"" + escape(v) + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    /** A literal inside a {@code like} pattern: {@code *} is the wildcard, so a literal star is escaped. */
    private static String likeLiteral(String text) {
        return escape(text).replace("*", "\\*");
    }

    /** A Cedar string literal's body. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u{%x}", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
