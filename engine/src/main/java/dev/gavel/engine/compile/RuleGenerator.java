package dev.gavel.engine.compile;

import dev.gavel.engine.expr.CompareOp;
import dev.gavel.engine.expr.ConditionError;
import dev.gavel.engine.expr.ConditionResult;
import dev.gavel.engine.expr.Conditions;
import dev.gavel.engine.expr.DrlConstraintWriter;
import dev.gavel.engine.expr.Expr;
import dev.gavel.engine.expr.Field;
import dev.gavel.engine.expr.FieldRef;
import dev.gavel.engine.expr.Literal;
import dev.gavel.engine.expr.Position;
import dev.gavel.engine.expr.RequestSchema;
import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.ResourceType;
import dev.gavel.engine.model.Rule;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.model.SourceLocation;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.Severity;
import dev.gavel.engine.resolve.ResolvedPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns one resolved policy variant into rules: the rules its built-in type generates from its
 * settings, plus its own {@code rules}, each guarded by the variant's scope prefix and its
 * resource types. The scopes where a deeper definition overrides the variant travel in the side
 * table instead of the rule (see docs/engine.md).
 *
 * <p>Everything goes through the condition AST and {@link DrlConstraintWriter}; the few guards
 * the condition language cannot say (a value is present, a ratio) are written here from
 * whitelisted property names and numbers only.
 */
final class RuleGenerator {
    private static final Position NONE = Position.NONE;

    private final RequestSchema schema;

    RuleGenerator(RequestSchema schema) {
        this.schema = schema;
    }

    /** Rules of {@code variant}, or the diagnostics of its conditions. */
    Result generate(ResolvedPolicy variant, List<ScopePath> overriddenBelow) {
        Policy policy = variant.policy();
        if (policy.spec().enforcement() == Enforcement.OFF
                || policy.spec().status() == Status.PAUSED
                || policy.metadata().isDeleted()) {
            return new Result(List.of(), List.of()); // not evaluated at all (DESIGN.md section 3)
        }
        Guard guard = new Guard(new ArrayList<>(), new ArrayList<>());
        ScopePath at = variant.definedAt();
        for (int i = 0; i < at.depth(); i++) {
            guard.scope().add(scopeEquals(i, at.segments().get(i)));
        }
        // One rule per resource type (resourceType == "model"), hashed, rather than one `in (...)`: a
        // request has one type, so at most one copy fires.
        for (ResourceType type : policy.spec().resourceTypes()) {
            guard.resourceTypes()
                    .add(ConstraintCompiler.constraints(
                                    new Expr.Compare(fixed(Field.RESOURCE_TYPE), CompareOp.EQ, str(type.value()), NONE))
                            .get(0));
        }

        List<CompiledRule> rules = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        builtIn(variant, guard, overriddenBelow, rules);
        for (Rule rule : policy.spec().rules()) {
            ConditionResult parsed = Conditions.parse(rule.when(), schema);
            if (parsed instanceof ConditionResult.Rejected rejected) {
                for (ConditionError e : rejected.errors()) {
                    SourceLocation loc = rule.locateInWhen(offsetOf(rule.when(), e.line(), e.column()));
                    String file = variant.layers().stream()
                            .filter(l -> l.policy()
                                    .spec()
                                    .rule(rule.name())
                                    .filter(r -> r.equals(rule))
                                    .isPresent())
                            .reduce((a, b) -> b)
                            .map(l -> l.file())
                            .orElse(variant.nearest().file());
                    problems.add(new Diagnostic(
                            file,
                            loc.line(),
                            loc.column(),
                            Severity.ERROR,
                            "spec.rules." + rule.name() + ".when",
                            "spec.rules." + rule.name() + ".when: " + e.message()));
                }
                continue;
            }
            Expr condition = ((ConditionResult.Checked) parsed).expr();
            rules.addAll(rule(
                    variant,
                    guard,
                    overriddenBelow,
                    condition,
                    List.of(),
                    rule.name(),
                    RuleRef.Kind.DECIDE,
                    rule.effect(),
                    rule.message(),
                    ""));
        }
        return new Result(rules, problems);
    }

    record Result(List<CompiledRule> rules, List<Diagnostic> diagnostics) {}

    /** What every rule of a variant starts with: its scope prefix, and one of its resource types (none = all). */
    private record Guard(List<Constraint> scope, List<Constraint> resourceTypes) {}

    private void builtIn(ResolvedPolicy variant, Guard guard, List<ScopePath> below, List<CompiledRule> out) {
        Settings settings = variant.policy().spec().settings();
        String name = variant.name();
        if (settings instanceof Settings.Location loc) {
            java.util.function.Predicate<dev.gavel.engine.eval.RequestFact> located = f ->
                    f.getLocationName() != null || f.getLocationCountry() != null || f.getLocationContinent() != null;
            List<Constraint> present = List.of(ConstraintCompiler.given(
                            "location",
                            "(locationName != null || locationCountry != null || locationContinent != null)",
                            located,
                            true)
                    .checking(new Constraint.Check.AllowedList(
                            loc.allowed().stream()
                                    .map(a -> List.of(
                                            switch (a.type()) {
                                                case LOCATION -> "name";
                                                case COUNTRY -> "country";
                                                case CONTINENT -> "continent";
                                            },
                                            a.name()))
                                    .collect(Collectors.toSet()),
                            FamilyVerdict.LOCATION_ENTRIES)));
            Expr allowed = anyOf(
                    loc.allowed(),
                    a -> switch (a.type()) {
                        case LOCATION -> Field.LOCATION_NAME;
                        case COUNTRY -> Field.LOCATION_COUNTRY;
                        case CONTINENT -> Field.LOCATION_CONTINENT;
                    },
                    a -> a.name());
            out.addAll(rule(
                    variant,
                    guard,
                    below,
                    allowed == null ? null : new Expr.Not(allowed, NONE),
                    present,
                    "settings.allowed",
                    RuleRef.Kind.DECIDE,
                    Effect.DENY,
                    "location is not allowed by " + name + " (allowed: "
                            + loc.allowed().stream()
                                    .map(a -> a.type().value() + " " + a.name())
                                    .collect(Collectors.joining(", "))
                            + ")",
                    ""));
            out.addAll(rule(
                    variant,
                    guard,
                    below,
                    null,
                    List.of(ConstraintCompiler.given(
                            "location",
                            "(locationName == null && locationCountry == null && locationContinent == null)",
                            located,
                            false)),
                    "settings.allowed",
                    RuleRef.Kind.MISSING,
                    Effect.DENY,
                    name + " needs the request's location",
                    "location"));
        } else if (settings instanceof Settings.Flavor flavor) {
            java.util.function.Predicate<dev.gavel.engine.eval.RequestFact> flavored =
                    f -> f.getFlavorName() != null || f.getFlavorType() != null;
            Expr allowed = null;
            for (Settings.Flavor.Allowed a : flavor.allowed()) {
                Expr type = new Expr.Compare(
                        fixed(Field.FLAVOR_TYPE), CompareOp.EQ, str(a.type().value()), NONE);
                Expr entry = a.name()
                        .<Expr>map(n -> new Expr.And(
                                new Expr.Compare(fixed(Field.FLAVOR_NAME), CompareOp.EQ, str(n), NONE), type, NONE))
                        .orElse(type);
                allowed = allowed == null ? entry : new Expr.Or(allowed, entry, NONE);
            }
            out.addAll(rule(
                    variant,
                    guard,
                    below,
                    allowed == null ? null : new Expr.Not(allowed, NONE),
                    List.of(ConstraintCompiler.given(
                                    "flavor", "(flavorName != null || flavorType != null)", flavored, true)
                            .checking(new Constraint.Check.AllowedList(
                                    flavor.allowed().stream()
                                            .map(a -> a.name()
                                                    .map(n -> List.of(
                                                            "name",
                                                            n,
                                                            "type",
                                                            a.type().value()))
                                                    .orElse(List.of(
                                                            "type", a.type().value())))
                                            .collect(Collectors.toSet()),
                                    FamilyVerdict.FLAVOR_ENTRIES))),
                    "settings.allowed",
                    RuleRef.Kind.DECIDE,
                    Effect.DENY,
                    "flavor is not allowed by " + name + " (allowed: "
                            + flavor.allowed().stream()
                                    .map(a -> a.name().map(n -> n + " ").orElse("any ")
                                            + a.type().value())
                                    .collect(Collectors.joining(", "))
                            + ")",
                    ""));
            out.addAll(rule(
                    variant,
                    guard,
                    below,
                    null,
                    List.of(ConstraintCompiler.given(
                            "flavor", "(flavorName == null && flavorType == null)", flavored, false)),
                    "settings.allowed",
                    RuleRef.Kind.MISSING,
                    Effect.DENY,
                    name + " needs the request's flavor",
                    "flavor"));
        } else if (settings instanceof Settings.MaxTokens max) {
            limit(variant, guard, below, max.input(), Field.TOKENS_INPUT, "settings.input", "input tokens", out);
            limit(variant, guard, below, max.output(), Field.TOKENS_OUTPUT, "settings.output", "output tokens", out);
            limit(variant, guard, below, max.total(), Field.TOKENS_TOTAL, "settings.total", "total tokens", out);
            java.util.function.Predicate<dev.gavel.engine.eval.RequestFact> both =
                    f -> f.getTokensInput() != null && f.getTokensOutput() != null;
            max.ratioInputOverOutput().ifPresent(ratio -> {
                // input / output > ratio, without division: input > ratio * output (an output of 0 with any input is
                // over).
                out.addAll(rule(
                        variant,
                        guard,
                        below,
                        null,
                        List.of(
                                ConstraintCompiler.given(
                                                "tokensInput and tokensOutput",
                                                "(tokensInput != null && tokensOutput != null)",
                                                both,
                                                true)
                                        .checking(new Constraint.Check.Ratio(ratio)),
                                ConstraintCompiler.raw(
                                        "tokensInput > " + ratio + "L * tokensOutput",
                                        f -> f.getTokensInput() > ratio * f.getTokensOutput())),
                        "settings.ratioInputOverOutput",
                        RuleRef.Kind.DECIDE,
                        Effect.DENY,
                        "input/output token ratio is over " + ratio + " (" + name + ")",
                        ""));
                out.addAll(rule(
                        variant,
                        guard,
                        below,
                        null,
                        List.of(ConstraintCompiler.given(
                                "tokensInput and tokensOutput",
                                "(tokensInput == null || tokensOutput == null)",
                                both,
                                false)),
                        "settings.ratioInputOverOutput",
                        RuleRef.Kind.MISSING,
                        Effect.DENY,
                        name + " needs tokens.input and tokens.output",
                        "tokens"));
            });
        } else if (settings instanceof Settings.Heartbeat hb) {
            // Its selectors: which workload requests (resource.type pod or job) the policy governs. The interval is
            // in the message so that a changed interval changes the side table (and the matches are recomputed).
            out.addAll(rule(
                    variant,
                    guard,
                    below,
                    HeartbeatSelector.of(hb),
                    List.of(),
                    "settings.select",
                    RuleRef.Kind.SELECT,
                    Effect.WARN,
                    "heartbeat every " + hb.interval().map(i -> i + " s").orElse("(no interval)") + " (" + name + ")",
                    ""));
        }
        // sla, document: settings only, served by resolved reads; custom: its rules only.
    }

    private void limit(
            ResolvedPolicy variant,
            Guard guard,
            List<ScopePath> below,
            Optional<Long> max,
            Field field,
            String ruleName,
            String what,
            List<CompiledRule> out) {
        if (max.isEmpty()) {
            return;
        }
        out.addAll(rule(
                variant,
                guard,
                below,
                new Expr.Compare(fixed(field), CompareOp.GT, new Literal.Int(max.get(), NONE), NONE),
                // implied by `> n` (false on a missing value); hashed with the missing-field rule below
                List.of(ConstraintCompiler.given(
                                field.drlProperty(),
                                field.drlProperty() + " != null",
                                isNull(field).negate(),
                                true)
                        .checking(new Constraint.Check.Limit(valueOf(field), max.get()))),
                ruleName,
                RuleRef.Kind.DECIDE,
                Effect.DENY,
                what + " over the limit of " + max.get() + " (" + variant.name() + ")",
                ""));
        out.addAll(rule(
                variant,
                guard,
                below,
                null,
                List.of(ConstraintCompiler.given(
                        field.drlProperty(),
                        field.drlProperty() + " == null",
                        isNull(field).negate(),
                        false)),
                ruleName,
                RuleRef.Kind.MISSING,
                Effect.DENY,
                variant.name() + " needs " + field.path(),
                field.path()));
    }

    /**
     * The rules of one check: one per resource type of the policy (one when it has none), times the copies of
     * an expanded {@code in} or disjunction. Each starts with a built-in family's given/missing guard (when it
     * has one), then its hashed tests — scope prefix, resource type, the condition's own
     * {@code property == "constant"} and {@code startsWith} parts, the copy's equality — so the alpha network
     * visits only the rules for the request's values; range comparisons follow, then the other constraints
     * in their written order.
     */
    private static List<CompiledRule> rule(
            ResolvedPolicy variant,
            Guard guard,
            List<ScopePath> below,
            Expr condition,
            List<Constraint> rawGuards,
            String ruleName,
            RuleRef.Kind kind,
            Effect effect,
            String message,
            String field) {
        List<Constraint> hashed = new ArrayList<>();
        List<Constraint> prefixed = new ArrayList<>();
        List<Constraint> ranged = new ArrayList<>();
        List<Constraint> rest = new ArrayList<>();
        List<Constraint> body = new ArrayList<>(rawGuards);
        List<Expr> conjuncts = new ArrayList<>();
        if (condition != null) {
            conjuncts(condition, conjuncts);
        }
        // At most one conjunct becomes copies of the rule: an `in` first, else a disjunction of equalities.
        Expr expanded = conjuncts.stream()
                .filter(RuleGenerator::expandableIn)
                .findFirst()
                .or(() -> conjuncts.stream().filter(RuleGenerator::expandableOr).findFirst())
                .orElse(null);
        for (Expr c : conjuncts) {
            if (c != expanded) {
                // `name matches "svc-1-.*"` implies `name startsWith "svc-1-"`, which the base can hash: put it first.
                ConstraintCompiler.impliedPrefix(c)
                        .map(implied -> ConstraintCompiler.constraints(implied).get(0))
                        .ifPresent(body::add);
                body.addAll(ConstraintCompiler.constraints(c));
            }
        }
        List<Constraint> familyGuards = new ArrayList<>();
        for (Constraint c : body) {
            if (c.familyGuard()) {
                familyGuards.add(c);
                continue;
            }
            if (c.prefix() != null && prefixed.contains(c)) {
                continue; // the same prefix written and implied by a `matches`: one is enough
            }
            (c.hash() != null ? hashed : c.prefix() != null ? prefixed : c.range() != null ? ranged : rest).add(c);
        }
        if (expanded instanceof Expr.Or && !(hashed.isEmpty() && prefixed.isEmpty())) {
            // Already hashed on the condition's own equality or prefix: keep the disjunction as one constraint.
            rest.add(0, ConstraintCompiler.constraints(expanded).get(0));
            expanded = null;
        }
        List<Alternative> alternatives = alternatives(expanded);
        Policy p = variant.policy();
        RuleRef ref = new RuleRef(
                p.name(),
                variant.definedAt(),
                variant.nearest().file(),
                ruleName,
                kind,
                effect,
                p.spec().enforcement(),
                message,
                field,
                below);
        List<CompiledRule> out = new ArrayList<>();
        List<Constraint> types =
                guard.resourceTypes().isEmpty() ? java.util.Collections.singletonList(null) : guard.resourceTypes();
        for (Constraint type : types) {
            for (Alternative alternative : alternatives) {
                // A built-in family's guard first: hashed on the family's verdict for the whole base (FamilyVerdict),
                // it stops a request no rule of the family can fire for at one lookup, before any scope.
                List<Constraint> constraints = new ArrayList<>(familyGuards);
                constraints.addAll(guard.scope());
                if (type != null) {
                    constraints.add(type);
                }
                constraints.addAll(hashed);
                constraints.addAll(prefixed);
                if (alternative != null) {
                    constraints.add(alternative.head());
                }
                constraints.addAll(ranged);
                constraints.addAll(rest);
                if (alternative != null && alternative.exclusion() != null) {
                    constraints.add(alternative.exclusion());
                }
                out.add(new CompiledRule(constraints, ref));
            }
        }
        return out;
    }

    /**
     * One copy of a rule whose expanded conjunct holds through {@code head}, a hashed equality; {@code exclusion}
     * (null for an {@code in}) denies the equalities of the earlier copies, so that at most one copy fires.
     */
    private record Alternative(Constraint head, Constraint exclusion) {}

    /**
     * The copies of a rule for its expanded conjunct ({@code [null]} for none). {@code field in ["a", "b"]}: one
     * copy per value with {@code field == "a"}; the field has one value, so at most one copy fires (like the
     * resource types). {@code a == "x" || b == "y"}: one copy per equality, the later ones with {@code !(a == "x")}
     * after everything else, so the copy of the first equality that holds fires and no other.
     */
    private static List<Alternative> alternatives(Expr expanded) {
        List<Alternative> out = new ArrayList<>();
        if (expanded instanceof Expr.In in) {
            java.util.Set<Object> seen = new java.util.HashSet<>();
            for (Literal v : in.values()) {
                if (!seen.add(v.value())) {
                    continue; // a value listed twice gives one copy, or both copies would fire
                }
                out.add(new Alternative(
                        ConstraintCompiler.constraints(new Expr.Compare(in.field(), CompareOp.EQ, v, NONE))
                                .get(0),
                        null));
            }
        } else if (expanded instanceof Expr.Or or) {
            List<Expr> disjuncts = new ArrayList<>();
            disjuncts(or, disjuncts);
            Expr earlier = null;
            for (Expr d : disjuncts) {
                Constraint exclusion = earlier == null
                        ? null
                        : ConstraintCompiler.constraints(new Expr.Not(earlier, NONE))
                                .get(0);
                out.add(new Alternative(ConstraintCompiler.constraints(d).get(0), exclusion));
                earlier = earlier == null ? d : new Expr.Or(earlier, d, NONE);
            }
        } else {
            out.add(null);
        }
        return out;
    }

    /** The most values an `in` is expanded to, or equalities a disjunction is (one rule copy each). */
    private static final int MAX_EXPANDED_VALUES = 16;

    private static void disjuncts(Expr expr, List<Expr> out) {
        if (expr instanceof Expr.Or or) {
            disjuncts(or.left(), out);
            disjuncts(or.right(), out);
        } else {
            out.add(expr);
        }
    }

    /** {@code a == "x" || b == "y" || ...}: equalities on hashable string properties only, few enough to copy. */
    private static boolean expandableOr(Expr expr) {
        if (!(expr instanceof Expr.Or)) {
            return false;
        }
        List<Expr> disjuncts = new ArrayList<>();
        disjuncts(expr, disjuncts);
        return disjuncts.size() <= MAX_EXPANDED_VALUES
                && disjuncts.stream()
                        .allMatch(d -> d instanceof Expr.Compare c
                                && c.op() == CompareOp.EQ
                                && c.value() instanceof Literal.Str
                                && ConstraintCompiler.hashable(c.field()));
    }

    private static void conjuncts(Expr expr, List<Expr> out) {
        if (expr instanceof Expr.And and) {
            conjuncts(and.left(), out);
            conjuncts(and.right(), out);
        } else {
            out.add(expr);
        }
    }

    /** {@code field in [strings]} on a hashable string property, with few enough values to copy the rule per value. */
    private static boolean expandableIn(Expr expr) {
        return expr instanceof Expr.In in
                && ConstraintCompiler.hashable(in.field())
                && !in.values().isEmpty()
                && in.values().size() <= MAX_EXPANDED_VALUES
                && in.values().stream().allMatch(v -> v instanceof Literal.Str);
    }

    private static java.util.function.Function<dev.gavel.engine.eval.RequestFact, Long> valueOf(Field field) {
        return switch (field) {
            case TOKENS_INPUT -> dev.gavel.engine.eval.RequestFact::getTokensInput;
            case TOKENS_OUTPUT -> dev.gavel.engine.eval.RequestFact::getTokensOutput;
            case TOKENS_TOTAL -> dev.gavel.engine.eval.RequestFact::getTokensTotal;
            default -> throw new IllegalArgumentException("no limit on " + field);
        };
    }

    private static java.util.function.Predicate<dev.gavel.engine.eval.RequestFact> isNull(Field field) {
        return switch (field) {
            case TOKENS_INPUT -> f -> f.getTokensInput() == null;
            case TOKENS_OUTPUT -> f -> f.getTokensOutput() == null;
            case TOKENS_TOTAL -> f -> f.getTokensTotal() == null;
            default -> throw new IllegalArgumentException("no limit on " + field);
        };
    }

    private Constraint scopeEquals(int index, String segment) {
        if (index >= schema.scopeLevels().size()) {
            throw new IllegalArgumentException("scope deeper than the repository's levels");
        }
        return ConstraintCompiler.constraints(new Expr.Compare(
                        new FieldRef.Scope(index, schema.scopeLevels().get(index), NONE),
                        CompareOp.EQ,
                        str(segment),
                        NONE))
                .get(0);
    }

    private static <T> Expr anyOf(List<T> entries, Function<T, Field> field, Function<T, String> value) {
        Expr out = null;
        for (Field f : Field.values()) {
            List<String> values =
                    entries.stream().filter(e -> field.apply(e) == f).map(value).toList();
            if (!values.isEmpty()) {
                Expr in = in(f, values);
                out = out == null ? in : new Expr.Or(out, in, NONE);
            }
        }
        return out;
    }

    private static Expr in(Field field, List<String> values) {
        return new Expr.In(
                fixed(field), values.stream().<Literal>map(RuleGenerator::str).toList(), NONE);
    }

    private static FieldRef fixed(Field field) {
        return new FieldRef.Fixed(field, NONE);
    }

    private static Literal.Str str(String s) {
        return new Literal.Str(s, NONE);
    }

    /** The 0-based offset of a 1-based line and column (in code points) of {@code text}. */
    static int offsetOf(String text, int line, int column) {
        int offset = 0;
        for (int l = 1; l < line && offset < text.length(); l++) {
            int nl = text.indexOf('\n', offset);
            offset = nl < 0 ? text.length() : nl + 1;
        }
        return Math.min(
                text.length(),
                text.offsetByCodePoints(offset, Math.min(column - 1, text.codePointCount(offset, text.length()))));
    }
}
