package dev.gavel.bench.peers.cerbos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gavel.bench.peers.Condition;
import dev.gavel.bench.peers.ExpressionWriter;
import dev.gavel.bench.peers.FlatPolicy;
import dev.gavel.bench.peers.FlatRepository;
import dev.gavel.bench.peers.RequestMap;
import dev.gavel.bench.workload.Workload;
import dev.gavel.engine.eval.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Gavel's policies as <em>scoped</em> Cerbos resource policies: the translation that lets Cerbos prune by
 * tenant the way Gavel's partitions do (issue 12).
 *
 * <p>A rule goes into the resource policy of its kind at the Cerbos scope of the Gavel scope that defines
 * it ({@code tenant-01.chat}); the global rules and the {@code allow-all} rule sit in the unscoped policy.
 * A check names the request's scope ({@code resource.scope}), so Cerbos evaluates only the policies on the
 * chain from that scope up to the root. Every policy keeps Cerbos' default
 * {@code SCOPE_PERMISSIONS_OVERRIDE_PARENT}: a scoped policy holds only {@code EFFECT_DENY} rules, so for
 * each action it either denies (a rule's condition holds: the first decision wins, and it is the deny
 * Gavel would report) or decides nothing and the parent is asked, up to the root's deny rules and
 * {@code allow-all}. That is Gavel's "every applicable policy of every enclosing scope" for the strongest
 * outcome. Every ancestor of a scope with rules gets a policy (empty of rules if it has none), and the
 * server runs with {@code engine.lenientScopeSearch} so a request from a scope without its own policy
 * starts at its nearest ancestor that has one.
 *
 * <p>What does not map: Gavel's per-name overrides. A Cerbos scope overrides its parent per action for the
 * whole scope, while a deeper Gavel definition replaces only the policy of the same name; so an overridden
 * rule keeps its {@code !R.attr.path.startsWith(...)} conditions, as in the flat translation
 * ({@link CerbosPolicies}), and only the {@code startsWith} of its own scope is dropped.
 */
public final class CerbosScopedPolicies {
    private CerbosScopedPolicies() {}

    /** Cerbos' scope grammar; Gavel's segment names ({@code [a-z0-9][a-z0-9-]*}) fit it. */
    private static final Pattern SEGMENT = Pattern.compile("[0-9a-zA-Z][\\w\\-]*");

    private static final YAMLMapper YAML = new YAMLMapper();

    /** The engine block the server needs for this translation (merge into the server's config). */
    public static final String ENGINE_CONFIG = "engine:\n  lenientScopeSearch: true\n";

    public static void write(Workload w, Path dir) throws IOException {
        write(FlatRepository.of(w), dir);
    }

    /** One file per kind and scope: {@code resource_<kind>.yaml} at the root, {@code <kind>/<scope>.yaml} below. */
    public static void write(FlatRepository repository, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String kind : CerbosPolicies.KINDS) {
            for (Map.Entry<String, ObjectNode> e : policies(repository, kind).entrySet()) {
                Path file = e.getKey().isEmpty()
                        ? dir.resolve("resource_" + kind + ".yaml")
                        : dir.resolve(kind).resolve(e.getKey() + ".yaml");
                Files.createDirectories(file.getParent());
                Files.writeString(file, YAML.writeValueAsString(e.getValue()));
            }
        }
    }

    /** The policies of one kind, keyed by Cerbos scope ({@code ""} for the root), ancestors included. */
    static Map<String, ObjectNode> policies(FlatRepository repository, String kind) {
        Map<String, ObjectNode> byScope = new TreeMap<>();
        ObjectNode root = policy(byScope, kind, List.of());
        CerbosPolicies.addAllowAll((ArrayNode) root.path("resourcePolicy").path("rules"));
        for (FlatPolicy p : repository.policies()) {
            if (!p.resourceTypes().isEmpty() && !p.resourceTypes().contains(kind)) {
                continue;
            }
            ArrayNode rules = (ArrayNode)
                    policy(byScope, kind, p.definedAt()).path("resourcePolicy").path("rules");
            for (FlatPolicy.Rule r : p.rules()) {
                CerbosPolicies.addDenyRule(rules, r, condition(p, r));
            }
        }
        return byScope;
    }

    /** The policy of {@code kind} at {@code segments}, made (with every missing ancestor) on first use. */
    private static ObjectNode policy(Map<String, ObjectNode> byScope, String kind, List<String> segments) {
        for (int depth = 0; depth < segments.size(); depth++) {
            policy(byScope, kind, segments.subList(0, depth));
        }
        return byScope.computeIfAbsent(scope(segments), s -> {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("apiVersion", "api.cerbos.dev/v1");
            ObjectNode policy = node.putObject("resourcePolicy");
            policy.put("version", "default");
            policy.put("resource", kind);
            if (!s.isEmpty()) {
                policy.put("scope", s);
            }
            policy.putArray("rules");
            return node;
        });
    }

    /** The rule's own scope is the policy's; what is left is the overrides below it and the rule's conditions. */
    static String condition(FlatPolicy p, FlatPolicy.Rule r) {
        List<String> terms = new ArrayList<>();
        for (List<String> below : p.overriddenAt()) {
            terms.add("!R.attr.path.startsWith(" + ExpressionWriter.javaString(RequestMap.path(below)) + ")");
        }
        for (Condition c : r.when()) {
            terms.add(CerbosPolicies.CEL.condition(c));
        }
        return terms.isEmpty() ? "true" : String.join(" && ", terms);
    }

    /** Gavel's scope segments as a Cerbos scope: {@code tenant-01.chat}; refuses a segment Cerbos would not parse. */
    public static String scope(List<String> segments) {
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                throw new IllegalArgumentException("not a Cerbos scope segment: " + s);
            }
        }
        return String.join(".", segments);
    }

    /** A check request for {@code requests}, each resource carrying its scope. */
    public static ObjectNode checkRequest(List<Request> requests) {
        ObjectNode body = CerbosPolicies.checkRequest(requests);
        ArrayNode resources = (ArrayNode) body.path("resources");
        for (int i = 0; i < requests.size(); i++) {
            String scope = scope(requests.get(i).scope());
            if (!scope.isEmpty()) {
                ((ObjectNode) resources.get(i).path("resource")).put("scope", scope);
            }
        }
        return body;
    }

    public static ObjectNode checkRequest(Request r) {
        return checkRequest(List.of(r));
    }
}
