package dev.gavel.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 7396 JSON merge patch, plus one convenience for policies: {@code spec.rules} given as an object
 * keyed by rule name patches those rules one by one (null deletes one) instead of replacing the list,
 * so "change one rule" needs no copy of the others. Jackson has no merge patch of its own.
 */
public final class MergePatch {
    private MergePatch() {}

    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    /** Applies a policy patch: rules keyed by name are merged into the current list first. */
    static JsonNode applyToPolicy(ObjectNode policy, ObjectNode patch) {
        JsonNode rulesPatch = patch.path("spec").path("rules");
        if (rulesPatch.isObject()) {
            Map<String, JsonNode> rules = new LinkedHashMap<>();
            policy.path("spec")
                    .path("rules")
                    .forEach(r -> rules.put(r.path("name").asText(), r));
            rulesPatch.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    rules.remove(e.getKey());
                } else {
                    ObjectNode merged = (ObjectNode) apply(rules.getOrDefault(e.getKey(), Json.object()), e.getValue());
                    merged.put("name", e.getKey());
                    rules.put(e.getKey(), merged);
                }
            });
            ArrayNode list = Json.MAPPER.createArrayNode();
            rules.values().forEach(list::add);
            patch = patch.deepCopy();
            ((ObjectNode) patch.get("spec")).set("rules", list);
        }
        return apply(policy, patch);
    }
}
