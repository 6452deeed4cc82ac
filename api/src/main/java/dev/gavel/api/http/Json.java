package dev.gavel.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.UncheckedIOException;

/** The one JSON mapper of the server (ISO-8601 times) and the helpers that answer with it. */
public final class Json {
    public static final ObjectMapper MAPPER = dev.gavel.api.wire.Mappers.JSON;

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void send(Context ctx, int status, Object value) {
        ctx.status(status).contentType("application/json").result(bytes(value));
    }

    public static void ok(Context ctx, Object value) {
        send(ctx, 200, value);
    }
}
