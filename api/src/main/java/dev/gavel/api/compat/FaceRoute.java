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
 */
public record FaceRoute(HandlerType method, String path, String seedRole, String summary, List<String> query,
    ObjectNode request, ObjectNode response, int status, Handler handler, boolean requestOptional) {

  public FaceRoute {
    query = List.copyOf(query);
    SeedRoles.role(seedRole); // fails early on a role the mapping does not know
  }

  /** A route whose body, when it has one, is required. */
  public FaceRoute(HandlerType method, String path, String seedRole, String summary, List<String> query,
      ObjectNode request, ObjectNode response, int status, Handler handler) {
    this(method, path, seedRole, summary, query, request, response, status, handler, false);
  }

  public Role role() {
    return SeedRoles.role(seedRole);
  }
}
