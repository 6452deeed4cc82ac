package dev.gavel.bench.peers.jcasbin;

import dev.gavel.bench.peers.ExpressionWriter;
import dev.gavel.bench.peers.FlatPolicy;
import dev.gavel.bench.peers.FlatRepository;
import dev.gavel.bench.peers.Outcome;
import dev.gavel.bench.peers.Peer;
import dev.gavel.bench.peers.RequestMap;
import dev.gavel.engine.eval.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.casbin.jcasbin.main.EnforceResult;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;

/**
 * jCasbin with an ABAC model, as its documentation writes one: the request is one object ({@code r.sub},
 * a {@link RequestMap}); each policy line carries the defining scope as a path pattern matched with
 * {@code keyMatch} ({@code /tenant-01/chat/*}, {@code /*} for the global scope) and the rest of the rule
 * as an expression the matcher runs with {@code eval()}: exclusions of deeper overrides (again
 * {@code keyMatch}), resource types, the conditions.
 *
 * <p>Warn vs deny: the {@code priority(p.eft) || deny} effect. Every line's effect is allow and its
 * priority is its outcome class (1 reject, 2 deny, 3 warn, 4 audit); jCasbin stops at the first line
 * that matches in priority order, and {@code enforceEx} names it, so one enforcement per request gives
 * the strongest outcome. (Casbin has no notion of "all matches": the audit matches Gavel reports are
 * not listed, only whether the strongest class is audit.)
 */
public final class CasbinPeer implements Peer {
    static final String MODEL = """
      [request_definition]
      r = sub

      [policy_definition]
      p = priority, scope, rule, id, eft

      [policy_effect]
      e = priority(p.eft) || deny

      [matchers]
      m = keyMatch(r.sub.path, p.scope) && eval(p.rule)
      """;

    /**
     * Casbin's standard matcher syntax (jCasbin refuses Aviator's {@code string.} and {@code seq.}
     * functions in {@code eval}): {@code r.sub.key}, {@code nil}, {@code ==}, and {@code regexMatch} for
     * every string test, with the literal quoted.
     */
    static final ExpressionWriter CASBIN = new ExpressionWriter() {
        @Override
        protected String entry(String key) {
            return "r.sub." + key;
        }

        @Override
        protected String nested(String map, String key) {
            return "r.sub." + RequestMap.flatKey(map, key);
        }

        @Override
        protected String nullLiteral() {
            return "nil";
        }

        @Override
        protected String integer(long value) {
            return Long.toString(value);
        }

        @Override
        protected String startsWith(String value, String prefix) {
            return "regexMatch(" + value + ", " + javaString("^" + quote(prefix)) + ")";
        }

        @Override
        protected String endsWith(String value, String suffix) {
            return "regexMatch(" + value + ", " + javaString(quote(suffix) + "$") + ")";
        }

        @Override
        protected String contains(String value, String part) {
            return "regexMatch(" + value + ", " + javaString(quote(part)) + ")";
        }

        @Override
        protected String matches(String value, String re2) {
            // java.util.regex agrees with RE2 on the generator's patterns; anchored to match the whole value.
            return "regexMatch(" + value + ", " + javaString("^(?:" + re2 + ")$") + ")";
        }
    };

    /** {@code text} as a regular expression matching itself. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static Outcome outcomeOfPriority(String priority) {
        return switch (priority) {
            case "1" -> Outcome.REJECT;
            case "2" -> Outcome.DENY;
            case "3" -> Outcome.WARN;
            default -> Outcome.ALLOW;
        };
    }

    private static String priorityOf(Outcome o) {
        return switch (o) {
            case REJECT -> "1";
            case DENY -> "2";
            case WARN -> "3";
            case ALLOW -> "4";
        };
    }

    private final Enforcer enforcer;

    public CasbinPeer(FlatRepository repository) {
        List<List<String>> lines = new ArrayList<>();
        for (FlatPolicy p : repository.policies()) {
            for (FlatPolicy.Rule r : p.rules()) {
                lines.add(List.of(priorityOf(r.outcome()), scopePattern(p.definedAt()), rule(p, r), r.id(), "allow"));
            }
        }
        lines.sort(Comparator.comparing(l -> l.get(0))); // stable: within a class, in definition order
        enforcer = new Enforcer(Model.newModelFromString(MODEL));
        enforcer.enableLog(false);
        // eval() hands each policy line's rule text to Aviator, which compiles it again on every call unless
        // told to cache compiled expressions by their text: one line of tuning any user with many rules adds.
        enforcer.getAviatorEval().setCachedExpressionByDefault(true);
        if (!lines.isEmpty()) {
            enforcer.addPolicies(lines);
        }
    }

    static String scopePattern(List<String> definedAt) {
        return RequestMap.path(definedAt) + "*";
    }

    static String rule(FlatPolicy p, FlatPolicy.Rule r) {
        StringBuilder out = new StringBuilder();
        for (List<String> below : p.overriddenAt()) {
            out.append("!keyMatch(r.sub.path, ")
                    .append(ExpressionWriter.javaString(scopePattern(below)))
                    .append(") && ");
        }
        return out.append(CASBIN.conjunction(p, r, false)).toString();
    }

    @Override
    public String name() {
        return "jcasbin";
    }

    @Override
    public Outcome decide(Request request) {
        EnforceResult result = enforcer.enforceEx(RequestMap.withFlatKeys(request));
        List<String> line = result.getExplain();
        return line == null || line.isEmpty() ? Outcome.ALLOW : outcomeOfPriority(line.get(0));
    }

    @Override
    public String explain(Request request) {
        EnforceResult result = enforcer.enforceEx(RequestMap.withFlatKeys(request));
        List<String> line = result.getExplain();
        return decide(request).label() + " "
                + (line == null || line.isEmpty() ? "[]" : "[" + line.get(3) + ": " + line.get(2) + "]");
    }
}
