package dev.gavel.api.server;

import dev.gavel.api.auth.Role;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One route: what Javalin registers and what {@code /openapi.json} describes, from the same value.
 *
 * @param path Javalin path with {@code {param}} segments (the same syntax as OpenAPI)
 * @param role the least role needed; empty = no authentication (health, metrics, the document, the
 *     hook, which checks its own signature)
 * @param query query parameters the route reads; any other is a 400
 * @param requestSchema name of a schema in the document's components, or null for no body
 * @param responseSchema name of the 2xx body's schema, or null for no body
 * @param successStatus the status of a successful answer
 * @param doc the rest of what the document says: other statuses, headers, media types
 */
public record ApiRoute(
        HandlerType method,
        String path,
        Optional<Role> role,
        String tag,
        String summary,
        List<String> query,
        String requestSchema,
        String responseSchema,
        int successStatus,
        Handler handler,
        RouteDoc doc) {

    public ApiRoute {
        query = List.copyOf(query);
    }

    /** Path parameter names in order, e.g. {@code [scope, name]}. */
    public List<String> pathParams() {
        return Arrays.stream(path.split("/"))
                .filter(s -> s.startsWith("{") && s.endsWith("}"))
                .map(s -> s.substring(1, s.length() - 1))
                .toList();
    }

    /**
     * What the document adds to a route beyond its body schemas.
     *
     * @param otherStatuses further statuses the route answers (e.g. 201 on a PUT that creates, 304, 412, 503)
     * @param requestHeaders headers the route reads (If-Match, X-Gavel-Message)
     * @param responseHeaders headers a success carries (ETag, X-Gavel-Commit, Location)
     * @param responseMediaType the success body's media type
     * @param alsoYaml the success body may be asked for as YAML ({@code Accept: application/yaml})
     */
    public record RouteDoc(
            List<Integer> otherStatuses,
            List<String> requestHeaders,
            List<String> responseHeaders,
            String responseMediaType,
            boolean alsoYaml) {
        public static final RouteDoc PLAIN = new RouteDoc(List.of(), List.of(), List.of(), "application/json", false);
    }
}
