package dev.gavel.engine.compile;

import com.google.re2j.Pattern;
import dev.gavel.engine.eval.RequestFact;
import dev.gavel.engine.expr.CompareOp;
import dev.gavel.engine.expr.DrlConstraintWriter;
import dev.gavel.engine.expr.Expr;
import dev.gavel.engine.expr.Field;
import dev.gavel.engine.expr.FieldRef;
import dev.gavel.engine.expr.Literal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.drools.model.functions.Predicate1;

/**
 * Compiles a checked condition into {@link Constraint}s: Java predicates over {@link RequestFact}
 * with the same meaning as the reference interpreter ({@code expr.ExprInterpreter}) and the DRL
 * rendering. Values from the policy are captured as typed constants (strings, longs, booleans,
 * RE2J patterns compiled once here); no text is ever parsed or evaluated at decision time.
 */
public final class ConstraintCompiler {
    private ConstraintCompiler() {}

    /** The condition as the constraints of one pattern: its top-level {@code &&} split so each part can be indexed. */
    public static List<Constraint> constraints(Expr expr) {
        List<Constraint> out = new ArrayList<>();
        split(expr, out);
        return out;
    }

    private static void split(Expr expr, List<Constraint> out) {
        if (expr instanceof Expr.And and) {
            split(and.left(), out);
            split(and.right(), out);
        } else {
            out.add(new Constraint(
                    DrlConstraintWriter.expression(expr), predicate(expr), hash(expr), range(expr), prefix(expr)));
        }
    }

    /** The equality {@code scopeN == "segment"}. */
    static Constraint scopeEquals(int index, String segment) {
        Function<RequestFact, String> getter =
                getter(new FieldRef.Scope(index, "level", dev.gavel.engine.expr.Position.NONE));
        return new Constraint(
                "scope" + index + " == " + DrlConstraintWriter.stringLiteral(segment),
                f -> segment.equals(getter.apply(f)),
                new Constraint.Hash("scope" + index, getter, segment));
    }

    /**
     * A guard on whether the request gives a field (or one of a group of fields), the condition language cannot
     * say it: hashed on the derived property "{@code what} given", valued {@code given} or {@code missing}. The
     * rules that need the field and the missing-field rule of the same policy are siblings behind the same
     * scope prefix, so Drools selects among them with one lookup instead of evaluating each.
     *
     * @param what a fixed name of the field or fields ({@code location}, {@code tokensInput}), never user text
     * @param drl the guard as DRL, written from whitelisted property names only
     * @param wanted true for "given", false for "missing"
     */
    static Constraint given(String what, String drl, java.util.function.Predicate<RequestFact> given, boolean wanted) {
        return new Constraint(
                drl,
                f -> given.test(f) == wanted,
                new Constraint.Hash(
                        what + Constraint.GIVEN,
                        f -> given.test(f) ? "given" : "missing",
                        wanted ? "given" : "missing"));
    }

    /** A guard the condition language cannot say, written from whitelisted property names only. */
    static Constraint raw(String drl, Predicate1<RequestFact> test) {
        return new Constraint(drl, test, null);
    }

    private static Constraint.Hash hash(Expr expr) {
        if (expr instanceof Expr.Compare c && c.op() == CompareOp.EQ && c.value() instanceof Literal.Str s) {
            Function<RequestFact, String> getter = stringGetter(c.field());
            if (getter != null) {
                return new Constraint.Hash(propertyName(c.field()), getter, s.value());
            }
        }
        return null;
    }

    /** {@code startsWith(field, "c")} on a string property: hashed per prefix height by the knowledge base. */
    private static Constraint.Prefix prefix(Expr expr) {
        if (expr instanceof Expr.StringOp s && s.kind() == dev.gavel.engine.expr.StringOpKind.STARTS_WITH) {
            Function<RequestFact, String> getter = stringGetter(s.field());
            if (getter != null) {
                return new Constraint.Prefix(
                        propertyName(s.field()), getter, s.value().value());
            }
        }
        return null;
    }

    /**
     * The condition {@code field startsWith "p"} that {@code field matches "p..."} implies, where {@code p} is
     * the literal text the pattern starts with; empty when the pattern has none or the field is not a string
     * property. Put before the {@code matches}, it lets the knowledge base hash what would be evaluated.
     */
    static java.util.Optional<Expr> impliedPrefix(Expr expr) {
        if (expr instanceof Expr.Matches m && stringGetter(m.field()) != null) {
            String literal = RegexLiteralPrefix.of(m.pattern().value());
            if (!literal.isEmpty()) {
                return java.util.Optional.of(new Expr.StringOp(
                        m.field(),
                        dev.gavel.engine.expr.StringOpKind.STARTS_WITH,
                        new Literal.Str(literal, m.pattern().pos()),
                        m.pos()));
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code tokens.* > n} and {@code attributes.k > n} (integer): range-indexed by Drools. */
    private static Constraint.Range range(Expr expr) {
        if (expr instanceof Expr.Compare c && c.op() == CompareOp.GT && c.value() instanceof Literal.Int n) {
            if (c.field() instanceof FieldRef.Fixed fixed
                    && fixed.field().type() == dev.gavel.engine.expr.ValueType.INTEGER) {
                Function<RequestFact, Long> getter = switch (fixed.field()) {
                    case TOKENS_INPUT -> RequestFact::getTokensInput;
                    case TOKENS_OUTPUT -> RequestFact::getTokensOutput;
                    default -> RequestFact::getTokensTotal;
                };
                return new Constraint.Range(fixed.field().drlProperty(), getter, n.longValue());
            }
            if (c.field() instanceof FieldRef.Attribute a && a.type() == dev.gavel.engine.expr.ValueType.INTEGER) {
                String key = a.key();
                return new Constraint.Range("attributeLongs[" + key + "]", f -> f.attributeLong(key), n.longValue());
            }
        }
        return null;
    }

    /**
     * Whether {@code field == "constant"} can be hashed: a string property (fixed field, scope level,
     * label, string attribute). The string-typed conjunct {@code field in [...]} of a rule can then be
     * written as one rule per value (RuleGenerator).
     */
    static boolean hashable(FieldRef field) {
        return stringGetter(field) != null;
    }

    /** The index's property name: one hash table per name among sibling nodes. */
    private static String propertyName(FieldRef field) {
        if (field instanceof FieldRef.Scope scope) {
            return "scope" + scope.index();
        }
        if (field instanceof FieldRef.Fixed fixed) {
            return fixed.field().drlProperty();
        }
        if (field instanceof FieldRef.Label label) {
            return "labels[" + label.key() + "]";
        }
        return "attributeStrings[" + ((FieldRef.Attribute) field).key() + "]";
    }

    private static Function<RequestFact, String> stringGetter(FieldRef field) {
        if (field instanceof FieldRef.Scope) {
            return getter(field);
        }
        if (field instanceof FieldRef.Fixed fixed) {
            return fixed.field().type() == dev.gavel.engine.expr.ValueType.STRING ? getter(fixed) : null;
        }
        if (field instanceof FieldRef.Label label) {
            String key = label.key();
            return f -> f.getLabels().get(key);
        }
        if (field instanceof FieldRef.Attribute a && a.type() == dev.gavel.engine.expr.ValueType.STRING) {
            String key = a.key();
            return f -> f.attributeString(key);
        }
        return null;
    }

    static Predicate1<RequestFact> predicate(Expr expr) {
        if (expr instanceof Expr.And and) {
            Predicate1<RequestFact> l = predicate(and.left());
            Predicate1<RequestFact> r = predicate(and.right());
            return f -> l.test(f) && r.test(f);
        }
        if (expr instanceof Expr.Or or) {
            Predicate1<RequestFact> l = predicate(or.left());
            Predicate1<RequestFact> r = predicate(or.right());
            return f -> l.test(f) || r.test(f);
        }
        if (expr instanceof Expr.Not not) {
            Predicate1<RequestFact> p = predicate(not.operand());
            return f -> !p.test(f);
        }
        if (expr instanceof Expr.Compare c) {
            Function<RequestFact, Object> value = value(c.field());
            Object literal = c.value().value();
            return switch (c.op()) {
                case EQ -> f -> literal.equals(value.apply(f));
                case NE -> f -> !literal.equals(value.apply(f));
                case LT, LE, GT, GE -> {
                    long limit = (Long) literal;
                    CompareOp op = c.op();
                    yield f -> {
                        Object v = value.apply(f);
                        if (v == null) {
                            return false;
                        }
                        long n = (Long) v;
                        return switch (op) {
                            case LT -> n < limit;
                            case LE -> n <= limit;
                            case GT -> n > limit;
                            default -> n >= limit;
                        };
                    };
                }
            };
        }
        if (expr instanceof Expr.In in) {
            Function<RequestFact, Object> value = value(in.field());
            Set<Object> values = new HashSet<>();
            in.values().forEach(v -> values.add(v.value()));
            return f -> {
                Object v = value.apply(f);
                return v != null && values.contains(v);
            };
        }
        if (expr instanceof Expr.StringOp s) {
            Function<RequestFact, Object> value = value(s.field());
            String part = s.value().value();
            return switch (s.kind()) {
                case CONTAINS -> f -> value.apply(f) instanceof String v && v.contains(part);
                case STARTS_WITH -> f -> value.apply(f) instanceof String v && v.startsWith(part);
                case ENDS_WITH -> f -> value.apply(f) instanceof String v && v.endsWith(part);
            };
        }
        if (expr instanceof Expr.Matches m) {
            Function<RequestFact, Object> value = value(m.field());
            Pattern pattern = Pattern.compile(m.pattern().value()); // once per compile, checked by the condition parser
            return f -> value.apply(f) instanceof String v && pattern.matches(v);
        }
        Function<RequestFact, Object> value = value(((Expr.BoolField) expr).field());
        return f -> Boolean.TRUE.equals(value.apply(f));
    }

    /** How to read the field from the fact; null when missing or of another type than the field's. */
    private static Function<RequestFact, Object> value(FieldRef field) {
        if (field instanceof FieldRef.Fixed || field instanceof FieldRef.Scope) {
            if (field instanceof FieldRef.Fixed fixed
                    && fixed.field().type() == dev.gavel.engine.expr.ValueType.INTEGER) {
                return switch (fixed.field()) {
                    case TOKENS_INPUT -> RequestFact::getTokensInput;
                    case TOKENS_OUTPUT -> RequestFact::getTokensOutput;
                    default -> RequestFact::getTokensTotal;
                };
            }
            Function<RequestFact, String> getter = getter(field);
            return getter::apply;
        }
        if (field instanceof FieldRef.Label label) {
            String key = label.key();
            return f -> f.getLabels().get(key);
        }
        FieldRef.Attribute attribute = (FieldRef.Attribute) field;
        String key = attribute.key();
        return switch (attribute.type()) {
            case STRING -> f -> f.attributeString(key);
            case INTEGER -> f -> f.attributeLong(key);
            case BOOLEAN -> f -> f.attributeBoolean(key);
        };
    }

    /** The getter of a string property (a fixed field or a scope level). */
    private static Function<RequestFact, String> getter(FieldRef field) {
        if (field instanceof FieldRef.Scope scope) {
            return switch (scope.index()) {
                case 0 -> RequestFact::getScope0;
                case 1 -> RequestFact::getScope1;
                case 2 -> RequestFact::getScope2;
                case 3 -> RequestFact::getScope3;
                case 4 -> RequestFact::getScope4;
                case 5 -> RequestFact::getScope5;
                case 6 -> RequestFact::getScope6;
                default -> RequestFact::getScope7;
            };
        }
        Field f = ((FieldRef.Fixed) field).field();
        return switch (f) {
            case RESOURCE_TYPE -> RequestFact::getResourceType;
            case RESOURCE_NAME -> RequestFact::getResourceName;
            case ACTION -> RequestFact::getAction;
            case LOCATION_NAME -> RequestFact::getLocationName;
            case LOCATION_COUNTRY -> RequestFact::getLocationCountry;
            case LOCATION_CONTINENT -> RequestFact::getLocationContinent;
            case FLAVOR_NAME -> RequestFact::getFlavorName;
            case FLAVOR_TYPE -> RequestFact::getFlavorType;
            default -> throw new IllegalArgumentException("not a string field: " + f);
        };
    }
}
