package dev.gavel.api.compat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.ApiProblem;
import io.javalin.http.Context;
import java.util.List;

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
     * Refines the document {@link CompatFaces#openApi} made from the routes with what only the face knows (the
     * seed's own parameter schemas, operation ids, component schemas, statuses per operation); nothing by default.
     */
    default void refineDocument(ObjectNode document) {}

    /**
     * The path parameter naming the tenant when the seed puts it in its URLs (the tenant is then that one, which
     * the token must be allowed to see); null when the tenant comes from the token or a header.
     */
    default String tenantPathParam() {
        return null;
    }

    /** The refusal when the named tenant is not one the token may see: 404 unless the seed documents otherwise. */
    default ApiProblem foreignTenant(String tenant) {
        return ApiProblem.notFound("workspace '" + tenant + "' does not exist");
    }
}
