package dev.gavel.api.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.Json;

/** JSON Schemas of a face's bodies, written as JSON text (single quotes allowed for readability). */
public final class FaceSchemas {
    private FaceSchemas() {}

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad schema: " + e.getOriginalMessage(), e);
        }
    }
}
