package dev.gavel.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.ProviderCheck;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Condition providers: named checks with typed params that compile to a condition of the language
 * (an {@link Expr}) over facts the caller supplies as request attributes, e.g. {@code attributes:
 * {github: {branch: "main", branch_protected: true}}} (nested attributes are read as dotted keys,
 * {@code attributes["github.branch"]}). The compiled condition is the <em>violation</em>: a rule with
 * a check denies (or warns) when it holds. Checks fail closed: each is written as "not (what must
 * hold)", so a request without the facts a check reads breaks it. Params never reach rule text as text: they are checked
 * here, then carried as literals or as attribute keys that match {@link FieldRef#QUOTED_KEY}.
 */
public final class ConditionProviders {
    private ConditionProviders() {}

    /** One param of a check. {@code type}: string, integer or array (of strings). */
    public record Param(String name, String type, boolean required, String description, long min, long max) {}

    /** One check of a provider, with its params and the request facts it reads. */
    public record Check(
            String provider,
            String name,
            String description,
            List<Param> params,
            List<String> facts,
            Function<JsonNode, Expr> compiler) {
        /** The params as a JSON Schema (draft 2020-12). */
        public ObjectNode paramsSchema() {
            ObjectNode s = JsonNodeFactory.instance.objectNode();
            s.put("type", "object");
            s.put("additionalProperties", false);
            ObjectNode props = s.putObject("properties");
            var required = s.putArray("required");
            for (Param p : params) {
                ObjectNode ps = props.putObject(p.name());
                ps.put("description", p.description());
                switch (p.type()) {
                    case "integer" ->
                        ps.put("type", "integer").put("minimum", p.min()).put("maximum", p.max());
                    case "array" -> {
                        ps.put("type", "array").put("minItems", p.min()).put("maxItems", p.max());
                        ps.putObject("items").put("type", "string").put("pattern", KEY_PATTERN);
                    }
                    default -> ps.put("type", "string").put("pattern", KEY_PATTERN);
                }
                if (p.required()) {
                    required.add(p.name());
                }
            }
            return s;
        }
    }

    /** A problem with a check, with the field it is about ({@code provider}, {@code check}, {@code params.x}). */
    public record Problem(String field, String message) {}

    /** What compiling a check gives: the violation condition, or the problems. */
    public sealed interface Compiled {
        record Ok(Expr violation) implements Compiled {
            /** The condition as text of the language (what {@code when:} would say). */
            public String when() {
                return ExprPrinter.print(violation);
            }
        }

        record Invalid(List<Problem> problems) implements Compiled {
            public Invalid {
                problems = List.copyOf(problems);
            }
        }
    }

    static final String KEY_PATTERN = "^[A-Za-z0-9_./-]{1,100}$";
    private static final Position P = Position.NONE;

    private static final List<Check> CATALOG = List.of(
            new Check(
                    "github",
                    "branch_protection",
                    "Changes to the branch come from a protected branch",
                    List.of(new Param(
                            "branch", "string", true, "the branch that must be protected, e.g. main", 1, 100)),
                    List.of("github.branch", "github.branch_protected"),
                    p -> not(new Expr.Or(
                            cmp("github.branch", CompareOp.NE, str(p.get("branch"))),
                            cmp("github.branch_protected", CompareOp.EQ, new Literal.Bool(true, P)),
                            P))),
            new Check(
                    "github",
                    "required_reviews",
                    "A pull request has at least min approving reviews",
                    List.of(new Param("min", "integer", true, "approving reviews needed", 1, 50)),
                    List.of("github.approvals"),
                    p -> not(cmp(
                            "github.approvals",
                            CompareOp.GE,
                            new Literal.Int(p.get("min").longValue(), P)))),
            new Check(
                    "github",
                    "status_checks",
                    "Every named status check succeeded",
                    List.of(new Param(
                            "checks", "array", true, "names of the status checks that must be \"success\"", 1, 20)),
                    List.of("github.checks.<name>"),
                    p -> {
                        Expr out = null;
                        for (JsonNode c : p.get("checks")) {
                            Expr one = not(
                                    cmp("github.checks." + c.asText(), CompareOp.EQ, new Literal.Str("success", P)));
                            out = out == null ? one : new Expr.Or(out, one, P);
                        }
                        return out;
                    }),
            new Check(
                    "cost",
                    "threshold",
                    "The estimated monthly cost stays at or under max (whole currency units)",
                    List.of(new Param("max", "integer", true, "the highest monthly cost allowed", 0, Long.MAX_VALUE)),
                    List.of("cost.monthly"),
                    p -> not(cmp(
                            "cost.monthly",
                            CompareOp.LE,
                            new Literal.Int(p.get("max").longValue(), P)))),
            new Check(
                    "approvals",
                    "required",
                    "A change has at least count approvals",
                    List.of(new Param("count", "integer", true, "approvals needed", 1, 20)),
                    List.of("approvals.count"),
                    p -> not(cmp(
                            "approvals.count",
                            CompareOp.GE,
                            new Literal.Int(p.get("count").longValue(), P)))));

    public static List<Check> catalog() {
        return CATALOG;
    }

    public static Optional<Check> find(String provider, String check) {
        return CATALOG.stream()
                .filter(c -> c.provider().equals(provider) && c.name().equals(check))
                .findFirst();
    }

    public static Compiled compile(ProviderCheck pc) {
        return compile(pc.provider(), pc.check(), pc.params());
    }

    /** Checks the provider, the check and every param, then builds the violation condition. */
    public static Compiled compile(String provider, String check, JsonNode params) {
        List<Problem> problems = new ArrayList<>();
        Set<String> providers = new LinkedHashSet<>();
        CATALOG.forEach(c -> providers.add(c.provider()));
        if (provider == null || !providers.contains(provider)) {
            problems.add(new Problem("provider", "unknown provider; one of " + String.join(", ", providers)));
            return new Compiled.Invalid(problems);
        }
        Optional<Check> found = find(provider, check);
        if (found.isEmpty()) {
            problems.add(new Problem(
                    "check",
                    "unknown check of " + provider + "; one of "
                            + String.join(
                                    ", ",
                                    CATALOG.stream()
                                            .filter(c -> c.provider().equals(provider))
                                            .map(Check::name)
                                            .toList())));
            return new Compiled.Invalid(problems);
        }
        JsonNode ps = params == null || params.isNull() || params.isMissingNode()
                ? JsonNodeFactory.instance.objectNode()
                : params;
        if (!ps.isObject()) {
            return new Compiled.Invalid(List.of(new Problem("params", "must be an object")));
        }
        Check c = found.get();
        for (Iterator<String> it = ps.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (c.params().stream().noneMatch(p -> p.name().equals(k))) {
                problems.add(new Problem("params." + printable(k), "unknown param of " + provider + "." + check));
            }
        }
        for (Param p : c.params()) {
            JsonNode v = ps.get(p.name());
            String f = "params." + p.name();
            if (v == null || v.isNull()) {
                if (p.required()) {
                    problems.add(new Problem(f, "required"));
                }
                continue;
            }
            switch (p.type()) {
                case "integer" -> {
                    if (!v.isIntegralNumber()
                            || !v.canConvertToLong()
                            || v.longValue() < p.min()
                            || v.longValue() > p.max()) {
                        problems.add(new Problem(f, "must be a whole number from " + p.min() + " to " + p.max()));
                    }
                }
                case "array" -> {
                    if (!v.isArray() || v.size() < p.min() || v.size() > p.max()) {
                        problems.add(new Problem(f, "must be a list of " + p.min() + " to " + p.max() + " names"));
                    } else {
                        Set<String> seen = new LinkedHashSet<>();
                        for (int i = 0; i < v.size(); i++) {
                            if (!isKey(v.get(i))) {
                                problems.add(new Problem(
                                        f + "[" + i + "]", "must be a name of A-Z a-z 0-9 _ . / - (1 to 100)"));
                            } else if (!seen.add(v.get(i).asText())) {
                                problems.add(new Problem(f + "[" + i + "]", "duplicate"));
                            }
                        }
                    }
                }
                default -> {
                    if (!isKey(v)) {
                        problems.add(new Problem(f, "must be a name of A-Z a-z 0-9 _ . / - (1 to 100)"));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            return new Compiled.Invalid(problems);
        }
        return new Compiled.Ok(c.compiler().apply(ps));
    }

    private static boolean isKey(JsonNode v) {
        return v != null && v.isTextual() && v.asText().matches(KEY_PATTERN.substring(1, KEY_PATTERN.length() - 1));
    }

    private static String printable(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static Expr cmp(String attribute, CompareOp op, Literal value) {
        return new Expr.Compare(new FieldRef.Attribute(attribute, value.type(), P), op, value, P);
    }

    private static Expr not(Expr e) {
        return new Expr.Not(e, P);
    }

    private static Literal.Str str(JsonNode v) {
        return new Literal.Str(v.asText(), P);
    }
}
