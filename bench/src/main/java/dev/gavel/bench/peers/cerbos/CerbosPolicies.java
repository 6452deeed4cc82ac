package dev.gavel.bench.peers.cerbos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gavel.bench.peers.Condition;
import dev.gavel.bench.peers.ExpressionWriter;
import dev.gavel.bench.peers.FlatPolicy;
import dev.gavel.bench.peers.FlatRepository;
import dev.gavel.bench.peers.Outcome;
import dev.gavel.bench.peers.RequestMap;
import dev.gavel.bench.workload.Workload;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.expr.Field;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gavel's policies as Cerbos resource policies, and Gavel requests as Cerbos check requests.
 *
 * <p>One resource policy per resource kind (Gavel's {@code resource.type}: {@code model}, {@code job},
 * ...; {@link #OTHER_KIND} for a request without a known type), holding the rules that apply to that
 * type. Outcome classes are <em>actions</em>: every check asks for {@code reject}, {@code deny},
 * {@code warn} and {@code audit}; a rule {@code allow-all} allows every action, and each flat rule is an
 * {@code EFFECT_DENY} rule on its class's action (deny overrides allow in Cerbos), named by the rule's id.
 * The outcome is the strongest action denied; {@code audit} is asked so that audit rules are evaluated,
 * as Gavel evaluates and reports them, and never changes the outcome.
 *
 * <p>Scope inheritance and overrides are conditions on {@code R.attr.path} ({@code /tenant/app/agent/env/}):
 * {@code startsWith} the defining scope, not {@code startsWith} any deeper override. Cerbos's own scoped
 * policies do not fit: a Cerbos scope overrides its parent for an action as a whole, not per policy
 * name, and every ancestor scope must have a policy (see docs/peers.md).
 */
public final class CerbosPolicies {
    private CerbosPolicies() {}

    public static final String OTHER_KIND = "other";
    public static final List<String> KINDS = List.of("model", "function", "agent", "sandbox", "job", OTHER_KIND);
    /** The actions a check asks for, strongest first. */
    public static final List<String> ACTIONS = List.of("reject", "deny", "warn", "audit");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** CEL over {@code R.attr}: {@code has()} for presence, numbers as doubles (JSON attributes are doubles). */
    static final ExpressionWriter CEL = new ExpressionWriter() {
        @Override
        protected String entry(String key) {
            return "R.attr." + key;
        }

        @Override
        protected String nested(String map, String key) {
            return "R.attr." + map + "[" + javaString(key) + "]";
        }

        @Override
        protected String integer(long value) {
            return value + ".0";
        }

        @Override
        protected String matches(String value, String re2) {
            return value + ".matches(" + javaString("^(?:" + re2 + ")$") + ")"; // CEL matches() searches
        }

        @Override
        protected String present(String value) {
            return presence(value, true);
        }

        @Override
        protected String absent(String value) {
            return presence(value, false);
        }
    };

    /** CEL has no null for an absent map key: {@code has(R.attr.x)}, or {@code "k" in R.attr.labels}. */
    private static String presence(String value, boolean present) {
        String test;
        int bracket = value.indexOf('[');
        if (bracket >= 0) {
            test = value.substring(bracket + 1, value.length() - 1) + " in " + value.substring(0, bracket);
        } else {
            test = "has(" + value + ")";
        }
        return present ? test : "!" + test;
    }

    /** Writes the policies of {@code w} (compiled and flattened through Gavel) into {@code dir}. */
    public static void write(Workload w, Path dir) throws IOException {
        write(FlatRepository.of(w), dir);
    }

    public static void write(FlatRepository repository, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String kind : KINDS) {
            Files.writeString(
                    dir.resolve("resource_" + kind + ".yaml"),
                    YAML.writeValueAsString(resourcePolicy(repository, kind)));
        }
    }

    static ObjectNode resourcePolicy(FlatRepository repository, String kind) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("apiVersion", "api.cerbos.dev/v1");
        ObjectNode policy = root.putObject("resourcePolicy");
        policy.put("version", "default");
        policy.put("resource", kind);
        ArrayNode rules = policy.putArray("rules");
        addAllowAll(rules);
        for (FlatPolicy p : repository.policies()) {
            if (!p.resourceTypes().isEmpty() && !p.resourceTypes().contains(kind)) {
                continue; // the kind is the resource type: the guard is the file the rule is in
            }
            for (FlatPolicy.Rule r : p.rules()) {
                addDenyRule(rules, r, condition(p, r));
            }
        }
        return root;
    }

    /** The rule that allows every action to everyone: what no deny rule refuses is allowed. */
    static void addAllowAll(ArrayNode rules) {
        ObjectNode allow = rules.addObject();
        allow.put("name", "allow-all");
        allow.putArray("actions").add("*");
        allow.put("effect", "EFFECT_ALLOW");
        allow.putArray("roles").add("*");
    }

    /** One flat rule as an {@code EFFECT_DENY} rule on its outcome's action, named by the rule's id. */
    static void addDenyRule(ArrayNode rules, FlatPolicy.Rule r, String condition) {
        ObjectNode rule = rules.addObject();
        rule.put("name", r.id());
        rule.putArray("actions").add(action(r.outcome()));
        rule.put("effect", "EFFECT_DENY");
        rule.putArray("roles").add("*");
        rule.putObject("condition").putObject("match").put("expr", condition);
    }

    static String action(Outcome o) {
        return switch (o) {
            case REJECT -> "reject";
            case DENY -> "deny";
            case WARN -> "warn";
            case ALLOW -> "audit";
        };
    }

    static String condition(FlatPolicy p, FlatPolicy.Rule r) {
        List<String> terms = new ArrayList<>();
        if (!p.definedAt().isEmpty()) {
            terms.add("R.attr.path.startsWith(" + ExpressionWriter.javaString(RequestMap.path(p.definedAt())) + ")");
        }
        for (List<String> below : p.overriddenAt()) {
            terms.add("!R.attr.path.startsWith(" + ExpressionWriter.javaString(RequestMap.path(below)) + ")");
        }
        for (Condition c : r.when()) {
            terms.add(CEL.condition(c));
        }
        return terms.isEmpty() ? "true" : String.join(" && ", terms);
    }

    /** The resource entry of a check request for {@code r}, with id {@code id}. */
    public static ObjectNode resource(Request r, String id) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        ArrayNode actions = entry.putArray("actions");
        ACTIONS.forEach(actions::add);
        ObjectNode resource = entry.putObject("resource");
        String type = r.resource().type();
        resource.put("kind", type != null && KINDS.contains(type) && !type.equals(OTHER_KIND) ? type : OTHER_KIND);
        resource.put("id", id);
        Map<String, Object> attr = new LinkedHashMap<>();
        attr.put("path", RequestMap.path(r.scope()));
        for (int i = 0; i < r.scope().size(); i++) {
            attr.put("scope" + i, r.scope().get(i));
        }
        for (Field field : Field.values()) {
            Object v = dev.gavel.bench.peers.FlatReference.value(field, r);
            if (v != null) {
                attr.put(RequestMap.key(field), v);
            }
        }
        attr.put("labels", r.resource().labels());
        Map<String, Object> strings = new LinkedHashMap<>();
        Map<String, Object> longs = new LinkedHashMap<>();
        Map<String, Object> bools = new LinkedHashMap<>();
        r.attributes().forEach((k, v) -> (v instanceof String ? strings : v instanceof Long ? longs : bools).put(k, v));
        attr.put("attrString", strings);
        attr.put("attrLong", longs);
        attr.put("attrBool", bools);
        resource.set("attr", JSON.valueToTree(attr));
        return entry;
    }

    /** The body of {@code POST /api/check/resources} for one request. */
    public static ObjectNode checkRequest(Request r) {
        return checkRequest(List.of(r));
    }

    /** One check request for several Gavel requests (resource ids are their positions). */
    public static ObjectNode checkRequest(List<Request> requests) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("requestId", "gavel-peers");
        ObjectNode principal = body.putObject("principal");
        principal.put("id", "caller");
        principal.putArray("roles").add("caller");
        ArrayNode resources = body.putArray("resources");
        for (int i = 0; i < requests.size(); i++) {
            resources.add(resource(requests.get(i), Integer.toString(i)));
        }
        return body;
    }

    /** The outcome of the first (or only) result of a check response: {@code allow|warn|deny|reject}. */
    public static String decision(JsonNode response) {
        return outcome(response.path("results").path(0)).label();
    }

    /** The outcome of one entry of a check response's {@code results}. */
    public static Outcome outcome(JsonNode result) {
        JsonNode actions = result.path("actions");
        for (String action : ACTIONS) {
            if ("EFFECT_DENY".equals(actions.path(action).asText())) {
                return switch (action) {
                    case "reject" -> Outcome.REJECT;
                    case "deny" -> Outcome.DENY;
                    case "warn" -> Outcome.WARN;
                    default -> Outcome.ALLOW;
                };
            }
        }
        if (!actions.isObject() || actions.size() == 0) {
            throw new IllegalArgumentException("not a Cerbos check result: " + result);
        }
        return Outcome.ALLOW;
    }

    static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
