package dev.gavel.api.compat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import io.javalin.http.Context;

/** What every face's error shape shares: the field errors as {field, message}, and how a refusal is sent. */
public final class FaceErrors {
    private FaceErrors() {}

    /** The problem's field errors as {@code [{field, message}]} under {@code name} of {@code parent}. */
    public static ArrayNode fieldDetails(ObjectNode parent, String name, ApiProblem p) {
        ArrayNode details = parent.putArray(name);
        for (FieldError f : p.errors()) {
            details.addObject().put("field", f.field()).put("message", f.message());
        }
        return details;
    }

    /** Sends {@code body} with {@code status}; a 401 also says how to authenticate (a bearer token). */
    public static void send(Context ctx, int status, ObjectNode body) {
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        Json.send(ctx, status, body);
    }
}
