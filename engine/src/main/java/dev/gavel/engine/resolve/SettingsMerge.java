package dev.gavel.engine.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The deep merge of settings across scopes: objects merge key by key, anything else (scalars,
 * arrays) is replaced by the nearer scope's value, and an explicit {@code null} removes the key.
 * Arrays replace rather than append so an override can narrow a list (e.g. allowed locations).
 */
final class SettingsMerge {
    private SettingsMerge() {}

    /**
     * Overlays {@code override} onto {@code target} in place and reports each leaf it set.
     *
     * @param path the field path of {@code target}, e.g. {@code spec.settings}
     */
    static void overlay(ObjectNode target, JsonNode override, String path, LeafSink sink) {
        Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            String leaf = path + "." + key;
            if (value.isNull()) {
                target.remove(key);
                sink.set(leaf);
            } else if (value.isObject() && target.get(key) instanceof ObjectNode existing) {
                overlay(existing, value, leaf, sink);
            } else {
                target.set(key, value.deepCopy());
                reportLeaves(value, leaf, sink);
            }
        }
    }

    private static void reportLeaves(JsonNode value, String path, LeafSink sink) {
        if (value.isObject() && value.size() > 0) {
            value.fields().forEachRemaining(f -> reportLeaves(f.getValue(), path + "." + f.getKey(), sink));
        } else {
            sink.set(path);
        }
    }

    /** Receives the field path of every leaf an overlay sets. */
    @FunctionalInterface
    interface LeafSink {
        void set(String fieldPath);
    }
}
