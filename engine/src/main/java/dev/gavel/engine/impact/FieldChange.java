package dev.gavel.engine.impact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.engine.model.ScopePath;
import java.util.Optional;

/**
 * One field of a resolved policy that differs between two versions.
 *
 * @param path dotted path in the policy's JSON form, rules keyed by name: {@code spec.enforcement},
 *     {@code spec.settings.total}, {@code spec.rules.no-gpu-in-dev.when}
 * @param before the value before; empty when the field was absent
 * @param after the value after; empty when the field is gone
 * @param beforeFrom the scope whose definition gave the old value (provenance)
 * @param afterFrom the scope whose definition gives the new value
 */
public record FieldChange(
        String path,
        Optional<JsonNode> before,
        Optional<JsonNode> after,
        Optional<ScopePath> beforeFrom,
        Optional<ScopePath> afterFrom) {

    public FieldChange {
        before = before.map(JsonNode::deepCopy);
        after = after.map(JsonNode::deepCopy);
    }

    @Override
    public Optional<JsonNode> before() {
        return before.map(JsonNode::deepCopy);
    }

    @Override
    public Optional<JsonNode> after() {
        return after.map(JsonNode::deepCopy);
    }
}
