package dev.gavel.api.compat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.auth.Role;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * One route of a compatibility face: what Javalin registers under the face's base and what the face's
 * {@code openapi.json} describes, from the same value.
 *
 * @param path relative to the face's base, with {@code {param}} segments
 * @param seedRole the least role in the seed's own words (runtime, member, admin), mapped by {@link SeedRoles}
 * @param request JSON Schema of the body, or null
 * @param response JSON Schema of the success body, or null for none (e.g. 204)
 * @param requestOptional whether the body may be left out (documented as not required)
 * @param mediaType the success body's media type ({@code application/json} unless the seed says otherwise)
 * @param operationId the seed's operationId, or null to derive one from the method and path
 */
public record FaceRoute(
        HandlerType method,
        String path,
        String seedRole,
        String summary,
        List<String> query,
        ObjectNode request,
        ObjectNode response,
        int status,
        Handler handler,
        boolean requestOptional,
        String mediaType,
        String operationId) {

    public FaceRoute {
        query = List.copyOf(query);
        SeedRoles.role(seedRole); // fails early on a role the mapping does not know
        mediaType = mediaType == null ? "application/json" : mediaType;
    }

    /** A route whose body, when it has one, is required, answering JSON. */
    public FaceRoute(
            HandlerType method,
            String path,
            String seedRole,
            String summary,
            List<String> query,
            ObjectNode request,
            ObjectNode response,
            int status,
            Handler handler) {
        this(method, path, seedRole, summary, query, request, response, status, handler, false);
    }

    /** A route answering JSON, with the operationId derived from its method and path. */
    public FaceRoute(
            HandlerType method,
            String path,
            String seedRole,
            String summary,
            List<String> query,
            ObjectNode request,
            ObjectNode response,
            int status,
            Handler handler,
            boolean requestOptional) {
        this(
                method,
                path,
                seedRole,
                summary,
                query,
                request,
                response,
                status,
                handler,
                requestOptional,
                "application/json",
                null);
    }

    public Role role() {
        return SeedRoles.role(seedRole);
    }
}
