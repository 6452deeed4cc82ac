package dev.gavel.api.compat.blaxel;

import static io.javalin.http.HandlerType.GET;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.Face;
import dev.gavel.api.compat.FaceErrors;
import dev.gavel.api.compat.FaceRoute;
import dev.gavel.api.compat.FaceRoutes;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.GavelServer;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Seed 001, Blaxel's ListPolicies, under {@code /compat/blaxel/v0}: {@code GET /policies}. The workspace is a
 * Gavel tenant; its governance policies are its location, flavor and maxTokens definitions. Errors:
 * {@code {"error": {"code", "message", "status", "retryable", "origin", "timestamp", "details"}}} (Blaxel's
 * structured error body).
 */
public final class BlaxelFace implements Face {
    public static final String BASE = "/compat/blaxel/v0";
    public static final String WORKSPACE_HEADER = "X-Blaxel-Workspace";

    private final List<FaceRoute> routes;

    public static BlaxelFace of(GavelServer server) {
        return new BlaxelFace(new BlaxelPolicies(server.repository(), server.snapshots(), server.evaluations()));
    }

    BlaxelFace(BlaxelPolicies policies) {
        FaceRoutes t = new FaceRoutes();
        t.add(GET, "/policies", "runtime", "List governance policies", policies::list)
                .query("cursor", "limit", "sort", "q")
                .response(BlaxelSchemas.LIST_RESPONSE);
        routes = t.build();
    }

    @Override
    public String base() {
        return BASE;
    }

    @Override
    public String title() {
        return "Blaxel Control Plane (policies)";
    }

    @Override
    public String tenantHeader() {
        return WORKSPACE_HEADER;
    }

    @Override
    public List<FaceRoute> routes() {
        return routes;
    }

    @Override
    public void error(Context ctx, ApiProblem p) {
        ObjectNode out = Json.object();
        ObjectNode e = out.putObject("error");
        e.put("code", p.slug().replace('-', '_').toUpperCase(Locale.ROOT));
        e.put("message", p.detail());
        e.put("status", p.status());
        e.put("retryable", p.status() == 409 || p.status() == 429 || p.status() >= 500);
        e.put("origin", "platform");
        e.put("timestamp", Instant.now().toString());
        FaceErrors.fieldDetails(e, "details", p);
        FaceErrors.send(ctx, p.status(), out);
    }

    @Override
    public ObjectNode errorSchema() {
        return BlaxelSchemas.ERROR;
    }

    /** The seed's own parameters, operation id and component schemas. */
    @Override
    public void refineDocument(ObjectNode doc) {
        ObjectNode op = (ObjectNode) doc.path("paths").path("/policies").path("get");
        op.put("operationId", "ListPolicies");
        op.putArray("tags").add("policies");
        op.put("description", BlaxelSchemas.DESCRIPTION);
        op.set("parameters", BlaxelSchemas.parameters());
        ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
        BlaxelSchemas.COMPONENTS.fields().forEachRemaining(f -> schemas.set(f.getKey(), f.getValue()));
    }
}
