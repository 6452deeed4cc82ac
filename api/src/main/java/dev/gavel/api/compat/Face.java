package dev.gavel.api.compat;

import dev.gavel.api.http.ApiProblem;
import io.javalin.http.Context;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A seed API served under its own base URL as a thin translation onto Gavel's core. */
public interface Face {
  /** e.g. {@code /compat/workspace}; routes and {@code openapi.json} live under it. */
  String base();

  String title();

  /** The header the product's own clients name their tenant with (besides {@code X-Gavel-Tenant}). */
  String tenantHeader();

  List<FaceRoute> routes();

  /** Writes a refusal in the seed's own error shape. */
  void error(Context ctx, ApiProblem problem);

  /** The JSON Schema of that error shape (for the face's document). */
  ObjectNode errorSchema();

  /**
   * The face's document as served: the one {@link CompatFaces#openApi} generates from the routes, with
   * what only the face knows added (statuses the seed documents per operation). Unchanged by default.
   */
  default ObjectNode document(ObjectNode generated) {
    return generated;
  }
}
