package dev.gavel.api.server;

import dev.gavel.api.auth.Role;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Optional;

/**
 * One route: what Javalin registers and what {@code /openapi.json} describes, from the same value.
 *
 * @param path Javalin path with {@code {param}} segments (the same syntax as OpenAPI)
 * @param role the least role needed; empty = no authentication (health, metrics, the document, the
 *     hook, which checks its own signature)
 * @param query query parameters the route reads (for the document)
 * @param requestSchema name of a schema in the document's components, or null for no body
 * @param responseSchema name of the 2xx body's schema, or null for no body
 * @param successStatus the status of a successful answer
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
    Handler handler) {

  public ApiRoute {
    query = List.copyOf(query);
  }

  /** Path parameter names in order, e.g. {@code [scope, name]}. */
  public List<String> pathParams() {
    return java.util.Arrays.stream(path.split("/"))
        .filter(s -> s.startsWith("{") && s.endsWith("}"))
        .map(s -> s.substring(1, s.length() - 1))
        .toList();
  }
}
