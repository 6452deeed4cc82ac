package dev.gavel.bench.peers;

import dev.gavel.bench.workload.Workload;
import dev.gavel.engine.expr.CompareOp;
import dev.gavel.engine.expr.ConditionResult;
import dev.gavel.engine.expr.Conditions;
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
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.resolve.ResolvedPolicy;
import dev.gavel.engine.resolve.ScopeResolver;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workload compiled by Gavel and flattened for the peers: the snapshot decides the reference
 * outcomes, the flat policies are what every peer translates. Flattening uses Gavel's own resolver, so
 * the merge is Gavel's by construction; what it repeats is the rule generator's mapping of built-in
 * types to rules (engine compile/RuleGenerator, docs/engine.md "Rules the built-in types generate"),
 * which {@link FlatReference} checks against the snapshot.
 */
public record FlatRepository(PolicySnapshot gavel, List<FlatPolicy> policies) {
    private static final Position NONE = Position.NONE;

    public FlatRepository {
        policies = List.copyOf(policies);
    }

    public static FlatRepository of(Workload workload) {
        return of(workload.compile("peers").snapshot());
    }

    public static FlatRepository of(PolicySnapshot snapshot) {
        ScopeResolver resolver = snapshot.resolver();
        RequestSchema schema = new RequestSchema(snapshot.settings().levels());
        Map<PolicyDefinition, List<List<String>>> overrides = overridesBelow(resolver);
        List<PolicyDefinition> definitions = new ArrayList<>(resolver.policies().all());
        definitions.sort(
                Comparator.comparing((PolicyDefinition d) -> d.scope().dotted()).thenComparing(PolicyDefinition::name));
        List<FlatPolicy> out = new ArrayList<>();
        for (PolicyDefinition d : definitions) {
            Optional<ResolvedPolicy> variant = resolver.variant(d);
            if (variant.isEmpty()) {
                continue; // Gavel compiles nothing for it either (the snapshot compiled, so this does not happen)
            }
            String id = "p" + out.size();
            Policy policy = variant.get().policy();
            Enforcement enforcement = policy.spec().enforcement();
            List<FlatPolicy.Rule> rules = new ArrayList<>();
            if (enforcement != Enforcement.OFF && policy.spec().status() != Status.PAUSED) {
                builtIn(id, policy, enforcement, rules);
                for (dev.gavel.engine.model.Rule r : policy.spec().rules()) {
                    ConditionResult parsed = Conditions.parse(r.when(), schema);
                    if (!(parsed instanceof ConditionResult.Checked checked)) {
                        throw new IllegalStateException("condition of " + d.file() + " rejected: " + parsed);
                    }
                    rules.add(rule(
                            id,
                            rules.size(),
                            r.name(),
                            false,
                            r.effect(),
                            enforcement,
                            List.of(new Condition.Test(checked.expr()))));
                }
            }
            out.add(new FlatPolicy(
                    id,
                    d.name(),
                    d.file(),
                    d.scope().segments(),
                    overrides.getOrDefault(d, List.of()),
                    enforcement,
                    policy.spec().resourceTypes().stream()
                            .map(ResourceType::value)
                            .toList(),
                    rules));
        }
        return new FlatRepository(snapshot, out);
    }

    public int ruleCount() {
        return policies.stream().mapToInt(p -> p.rules().size()).sum();
    }

    /** The rules Gavel's built-in types generate (compile/RuleGenerator#builtIn), as neutral conditions. */
    private static void builtIn(String id, Policy policy, Enforcement enforcement, List<FlatPolicy.Rule> out) {
        Settings settings = policy.spec().settings();
        if (settings instanceof Settings.Location loc) {
            List<Field> fields = List.of(Field.LOCATION_NAME, Field.LOCATION_COUNTRY, Field.LOCATION_CONTINENT);
            Expr allowed = null;
            for (Field f : Field.values()) {
                List<String> values = loc.allowed().stream()
                        .filter(a -> switch (a.type()) {
                            case LOCATION -> f == Field.LOCATION_NAME;
                            case COUNTRY -> f == Field.LOCATION_COUNTRY;
                            case CONTINENT -> f == Field.LOCATION_CONTINENT;
                        })
                        .map(Settings.Location.Allowed::name)
                        .toList();
                if (!values.isEmpty()) {
                    Expr in = new Expr.In(
                            fixed(f),
                            values.stream().<Literal>map(FlatRepository::str).toList(),
                            NONE);
                    allowed = allowed == null ? in : new Expr.Or(allowed, in, NONE);
                }
            }
            List<Condition> decide = new ArrayList<>(List.of(new Condition.AnyPresent(fields)));
            if (allowed != null) {
                decide.add(new Condition.Test(new Expr.Not(allowed, NONE)));
            }
            out.add(rule(id, out.size(), "settings.allowed", false, Effect.DENY, enforcement, decide));
            out.add(rule(
                    id,
                    out.size(),
                    "settings.allowed",
                    true,
                    Effect.DENY,
                    enforcement,
                    List.of(new Condition.AllAbsent(fields))));
        } else if (settings instanceof Settings.Flavor flavor) {
            List<Field> fields = List.of(Field.FLAVOR_NAME, Field.FLAVOR_TYPE);
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
            List<Condition> decide = new ArrayList<>(List.of(new Condition.AnyPresent(fields)));
            if (allowed != null) {
                decide.add(new Condition.Test(new Expr.Not(allowed, NONE)));
            }
            out.add(rule(id, out.size(), "settings.allowed", false, Effect.DENY, enforcement, decide));
            out.add(rule(
                    id,
                    out.size(),
                    "settings.allowed",
                    true,
                    Effect.DENY,
                    enforcement,
                    List.of(new Condition.AllAbsent(fields))));
        } else if (settings instanceof Settings.MaxTokens max) {
            limit(id, max.input(), Field.TOKENS_INPUT, "settings.input", enforcement, out);
            limit(id, max.output(), Field.TOKENS_OUTPUT, "settings.output", enforcement, out);
            limit(id, max.total(), Field.TOKENS_TOTAL, "settings.total", enforcement, out);
            max.ratioInputOverOutput().ifPresent(ratio -> {
                out.add(rule(
                        id,
                        out.size(),
                        "settings.ratioInputOverOutput",
                        false,
                        Effect.DENY,
                        enforcement,
                        List.of(new Condition.RatioOver(ratio))));
                out.add(rule(
                        id,
                        out.size(),
                        "settings.ratioInputOverOutput",
                        true,
                        Effect.DENY,
                        enforcement,
                        List.of(new Condition.AnyAbsent(List.of(Field.TOKENS_INPUT, Field.TOKENS_OUTPUT)))));
            });
        }
        // heartbeat, sla, document decide nothing; custom: its rules only.
    }

    private static void limit(
            String id,
            Optional<Long> max,
            Field field,
            String name,
            Enforcement enforcement,
            List<FlatPolicy.Rule> out) {
        if (max.isEmpty()) {
            return;
        }
        out.add(rule(
                id,
                out.size(),
                name,
                false,
                Effect.DENY,
                enforcement,
                List.of(new Condition.Test(
                        new Expr.Compare(fixed(field), CompareOp.GT, new Literal.Int(max.get(), NONE), NONE)))));
        out.add(rule(
                id,
                out.size(),
                name,
                true,
                Effect.DENY,
                enforcement,
                List.of(new Condition.AllAbsent(List.of(field)))));
    }

    private static FlatPolicy.Rule rule(
            String policyId,
            int index,
            String name,
            boolean missing,
            Effect effect,
            Enforcement enforcement,
            List<Condition> when) {
        return new FlatPolicy.Rule(
                policyId + "r" + index,
                name,
                missing,
                effect,
                when,
                FlatPolicy.outcomeOf(missing, effect, enforcement));
    }

    /** As compile/KnowledgeCompiler#overridesBelow: the scopes of the definitions that override each one directly. */
    private static Map<PolicyDefinition, List<List<String>>> overridesBelow(ScopeResolver resolver) {
        Map<PolicyDefinition, List<List<String>>> out = new HashMap<>();
        for (String name : resolver.policies().names()) {
            List<PolicyDefinition> defs = resolver.policies().definitionsOf(name);
            for (PolicyDefinition lower : defs) {
                PolicyDefinition parent = null;
                for (PolicyDefinition upper : defs) {
                    if (upper != lower
                            && lower.scope().isWithin(upper.scope())
                            && (parent == null
                                    || upper.scope().depth() > parent.scope().depth())) {
                        parent = upper;
                    }
                }
                if (parent != null) {
                    out.computeIfAbsent(parent, p -> new ArrayList<>())
                            .add(lower.scope().segments());
                }
            }
        }
        return out;
    }

    private static FieldRef fixed(Field field) {
        return new FieldRef.Fixed(field, NONE);
    }

    private static Literal.Str str(String s) {
        return new Literal.Str(s, NONE);
    }
}
