package dev.gavel.engine.expr;

import dev.gavel.engine.eval.Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random checked conditions and requests drawn from small shared pools, so that predicates hit
 * as often as they miss and every field, type mismatch and missing value shows up.
 */
final class Generators {
    private Generators() {}

    private static final Position N = Position.NONE;

    static final List<String> STRINGS = List.of(
            "a",
            "b",
            "gpt-4",
            "gpt-4o",
            "model",
            "",
            "x\"y",
            "back\\slash",
            "line\nbreak",
            "tab\tx",
            "é€😀",
            "\" || true || \"",
            "${x}",
            "'",
            "\\u0022",
            "GPT-4");

    static final List<Long> LONGS = List.of(0L, 1L, 5L, 1000L, 5_000_000_000L, -1L, Long.MIN_VALUE, Long.MAX_VALUE);

    static final List<String> PATTERNS = List.of(
            "gpt-.*", "a|b", "[a-z]+", ".*\\d.*", "", "é.*", "(?i)gpt-4", ".*\"", "line\\nbreak|tab\\tx", "\\\\.*");

    static final List<String> KEYS = List.of("team", "tier", "n", "flag", "a.b/c", "cost-center");

    static final List<String> LEVELS = RequestSchema.DEFAULT.scopeLevels();

    private static final List<Field> STRING_FIELDS = List.of(Field.values()).stream()
            .filter(f -> f.type() == ValueType.STRING)
            .toList();

    private static final List<Field> INTEGER_FIELDS = List.of(Field.values()).stream()
            .filter(f -> f.type() == ValueType.INTEGER)
            .toList();

    static Arbitrary<Expr> conditions(int maxDepth) {
        return Arbitraries.recursive(Generators::predicates, Generators::combine, 0, maxDepth);
    }

    private static Arbitrary<Expr> combine(Arbitrary<Expr> inner) {
        return Arbitraries.oneOf(
                Combinators.combine(inner, inner).as((l, r) -> (Expr) new Expr.And(l, r, N)),
                Combinators.combine(inner, inner).as((l, r) -> (Expr) new Expr.Or(l, r, N)),
                inner.map(e -> (Expr) new Expr.Not(e, N)));
    }

    static Arbitrary<Expr> predicates() {
        return Arbitraries.oneOf(stringPredicates(), integerPredicates(), booleanPredicates());
    }

    private static Arbitrary<FieldRef> stringFields() {
        return Arbitraries.oneOf(
                Arbitraries.of(STRING_FIELDS).map(f -> (FieldRef) new FieldRef.Fixed(f, N)),
                Arbitraries.integers().between(0, LEVELS.size() - 1).map(i ->
                        (FieldRef) new FieldRef.Scope(i, LEVELS.get(i), N)),
                Arbitraries.of(KEYS).map(k -> (FieldRef) new FieldRef.Label(k, N)),
                Arbitraries.of(KEYS).map(k -> (FieldRef) new FieldRef.Attribute(k, ValueType.STRING, N)));
    }

    private static Arbitrary<FieldRef> integerFields() {
        return Arbitraries.oneOf(
                Arbitraries.of(INTEGER_FIELDS).map(f -> (FieldRef) new FieldRef.Fixed(f, N)),
                Arbitraries.of(KEYS).map(k -> (FieldRef) new FieldRef.Attribute(k, ValueType.INTEGER, N)));
    }

    private static Arbitrary<Literal.Str> strings() {
        return Arbitraries.of(STRINGS).map(s -> new Literal.Str(s, N));
    }

    private static Arbitrary<Literal> longs() {
        return Arbitraries.oneOf(Arbitraries.of(LONGS), Arbitraries.longs().between(-3, 2000))
                .map(l -> (Literal) new Literal.Int(l, N));
    }

    private static Arbitrary<Expr> stringPredicates() {
        Arbitrary<FieldRef> fields = stringFields();
        return Arbitraries.oneOf(
                Combinators.combine(fields, Arbitraries.of(CompareOp.EQ, CompareOp.NE), strings())
                        .as((f, op, v) -> (Expr) new Expr.Compare(f, op, v, N)),
                Combinators.combine(
                                fields,
                                strings()
                                        .map(s -> (Literal) s)
                                        .list()
                                        .ofMinSize(1)
                                        .ofMaxSize(4))
                        .as((f, vs) -> (Expr) new Expr.In(f, vs, N)),
                Combinators.combine(fields, Arbitraries.of(StringOpKind.class), strings())
                        .as((f, k, v) -> (Expr) new Expr.StringOp(f, k, v, N)),
                Combinators.combine(fields, Arbitraries.of(PATTERNS))
                        .as((f, p) -> (Expr) new Expr.Matches(f, new Literal.Str(p, N), N)));
    }

    private static Arbitrary<Expr> integerPredicates() {
        Arbitrary<FieldRef> fields = integerFields();
        return Arbitraries.oneOf(
                Combinators.combine(fields, Arbitraries.of(CompareOp.class), longs())
                        .as((f, op, v) -> (Expr) new Expr.Compare(f, op, v, N)),
                Combinators.combine(fields, longs().list().ofMinSize(1).ofMaxSize(4))
                        .as((f, vs) -> (Expr) new Expr.In(f, vs, N)));
    }

    private static Arbitrary<Expr> booleanPredicates() {
        Arbitrary<FieldRef> fields = Arbitraries.of(KEYS).map(k -> new FieldRef.Attribute(k, ValueType.BOOLEAN, N));
        Arbitrary<Literal> bools = Arbitraries.of(true, false).map(b -> new Literal.Bool(b, N));
        return Arbitraries.oneOf(
                fields.map(f -> (Expr) new Expr.BoolField(f, N)),
                Combinators.combine(fields, Arbitraries.of(CompareOp.EQ, CompareOp.NE), bools)
                        .as((f, op, v) -> (Expr) new Expr.Compare(f, op, v, N)),
                Combinators.combine(fields, bools.list().ofMinSize(1).ofMaxSize(2))
                        .as((f, vs) -> (Expr) new Expr.In(f, vs, N)));
    }

    /** A value from the pools, or null (missing) now and then. */
    private static Arbitrary<String> maybeString() {
        return Arbitraries.of(STRINGS).injectNull(0.2);
    }

    private static Arbitrary<Long> maybeLong() {
        return Arbitraries.oneOf(
                        Arbitraries.of(LONGS).filter(l -> l >= 0),
                        Arbitraries.longs().between(0, 2000))
                .injectNull(0.2);
    }

    static Arbitrary<Request> requests() {
        Arbitrary<List<String>> scope =
                maybeString().map(s -> s == null ? "a" : s).list().ofMaxSize(4);
        Arbitrary<Request.Resource> resource = Combinators.combine(
                        maybeString(),
                        maybeString(),
                        Arbitraries.maps(Arbitraries.of(KEYS), Arbitraries.of(STRINGS))
                                .ofMaxSize(3))
                .as(Request.Resource::new);
        Arbitrary<Request.Location> location =
                Combinators.combine(maybeString(), maybeString(), maybeString()).as(Request.Location::new);
        Arbitrary<Request.Flavor> flavor =
                Combinators.combine(maybeString(), maybeString()).as(Request.Flavor::new);
        Arbitrary<Request.Tokens> tokens = Combinators.combine(
                        maybeLong(), maybeLong(), maybeLong().injectNull(0.5))
                .as(Request.Tokens::new);
        Arbitrary<Object> attributeValue = Arbitraries.oneOf(
                Arbitraries.of(STRINGS).map(s -> (Object) s),
                Arbitraries.of(LONGS).map(l -> (Object) l),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Map<String, Object>> attributes = Arbitraries.maps(Arbitraries.of(KEYS), attributeValue)
                .ofMaxSize(4)
                .map(LinkedHashMap::new);
        return Combinators.combine(scope, resource, maybeString(), location, flavor, tokens, attributes)
                .as(Request::new);
    }
}
