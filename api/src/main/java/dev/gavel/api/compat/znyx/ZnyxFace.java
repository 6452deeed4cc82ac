package dev.gavel.api.compat.znyx;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.Face;
import dev.gavel.api.compat.FaceErrors;
import dev.gavel.api.compat.FaceRoute;
import dev.gavel.api.compat.FaceRoutes;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.GavelServer;
import dev.gavel.engine.model.PolicyPath;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * Seed 002, per-scope policies, under {@code /compat/znyx}: {@code /v1/policies/{tenant_id}/{app_id}/{agent_id}/{env}}
 * is the Gavel scope {@code tenant.app.agent.env}; its policy is the set of policy files directly in that
 * scope (its detectors); its versions are the core's scope versions (commits that changed those files). The
 * org is the path's {@code tenant_id}: another org answers 403, as the seed documents. Errors are FastAPI's:
 * {@code {"detail": "..."}}, and for 422 {@code {"detail": [{"loc", "msg", "type"}]}}.
 */
public final class ZnyxFace implements Face {
    public static final String BASE = "/compat/znyx";
    static final String SCOPE = "/v1/policies/{tenant_id}/{app_id}/{agent_id}/{env}";

    private final List<FaceRoute> routes;

    public static ZnyxFace of(GavelServer server) {
        return new ZnyxFace(new ZnyxPolicies(server.repository(), server.snapshots(), server.commitPipeline()));
    }

    ZnyxFace(ZnyxPolicies policies) {
        FaceRoutes t = new FaceRoutes();
        t.add(
                        GET,
                        SCOPE,
                        "runtime",
                        "Get Policy: the raw policy of the scope, or ?resolved=true the merged one;"
                                + " ?version=N a historical version",
                        policies::get)
                .query("version", "resolved")
                .response(ZnyxSchemas.SCOPE_POLICY);
        t.add(
                        PUT,
                        SCOPE,
                        "ci",
                        "Upsert a new full policy: every detector of the scope, one commit, one version",
                        policies::put)
                .request(ZnyxSchemas.PUT_BODY)
                .response(ZnyxSchemas.SCOPE_POLICY);
        t.add(
                        PATCH,
                        SCOPE + "/detector/{name}",
                        "ci",
                        "Change one detector (JSON merge patch; created when absent)",
                        policies::patchDetector)
                .request(ZnyxSchemas.DETECTOR)
                .response(ZnyxSchemas.SCOPE_POLICY);
        t.add(
                        GET,
                        SCOPE + "/history",
                        "runtime",
                        "Every version of the scope's policy, newest first",
                        policies::history)
                .response(ZnyxSchemas.HISTORY);
        t.add(
                        POST,
                        SCOPE + "/rollback/{version}",
                        "admin",
                        "Make an older version's content active again (a new version)",
                        policies::rollback)
                .response(ZnyxSchemas.SCOPE_POLICY);
        routes = t.build();
    }

    @Override
    public String base() {
        return BASE;
    }

    @Override
    public String title() {
        return "Znyx policies (per scope, versioned)";
    }

    @Override
    public String tenantHeader() {
        return "X-Znyx-Org";
    }

    @Override
    public String tenantPathParam() {
        return "tenant_id";
    }

    @Override
    public ApiProblem foreignTenant(String tenant) {
        return ApiProblem.forbidden("Token does not have org access");
    }

    @Override
    public List<FaceRoute> routes() {
        return routes;
    }

    static ApiProblem validation(List<FieldError> errors) {
        return new ApiProblem(
                422, "validation-error", "Validation Error", "the request is invalid; nothing was written", errors);
    }

    @Override
    public void error(Context ctx, ApiProblem p) {
        ObjectNode out = Json.object();
        // FastAPI answers every request validation error with 422
        int status = p.status() == 400 ? 422 : p.status();
        if (status == 422) {
            ArrayNode detail = out.putArray("detail");
            List<FieldError> errors = p.errors().isEmpty() ? List.of(FieldError.of("body", p.detail())) : p.errors();
            for (FieldError f : errors) {
                ObjectNode e = detail.addObject();
                e.set("loc", loc(f));
                e.put("msg", f.message());
                e.put(
                        "type",
                        f.message().startsWith("extra fields")
                                ? "extra_forbidden"
                                : f.message().equals("field required") ? "missing" : "value_error");
            }
        } else {
            out.put("detail", p.detail());
        }
        FaceErrors.send(ctx, status, out);
    }

    private static final Set<String> LOCATIONS = Set.of("path", "query", "body", "header");

    /** {@code body.detectors.pii.settings.allowed[0]} as ["body", "detectors", "pii", "settings", "allowed", 0]. */
    static ArrayNode loc(FieldError f) {
        ArrayNode loc = Json.MAPPER.createArrayNode();
        String field = f.field() == null ? "body" : f.field();
        if (f.file() != null && PolicyPath.isPolicyPath(f.file())) {
            loc.add("body").add("detectors").add(PolicyPath.parse(f.file()).name());
            field = ZnyxDetectors.wireField(field);
        } else if (!LOCATIONS.contains(field.split("[.\\[]", 2)[0])) {
            loc.add("body");
        }
        for (String seg : field.split("\\.")) {
            int b = seg.indexOf('[');
            loc.add(b < 0 ? seg : seg.substring(0, b));
            for (String idx : b < 0 ? new String[0] : seg.substring(b + 1).split("\\]\\[?")) {
                if (idx.matches("\\d+")) {
                    loc.add(Integer.parseInt(idx));
                }
            }
        }
        return loc;
    }

    @Override
    public ObjectNode errorSchema() {
        return ZnyxSchemas.ERROR;
    }

    /** Typed query parameters (the seed: version integer, resolved boolean). */
    @Override
    public void refineDocument(ObjectNode doc) {
        JsonNode get = doc.path("paths").path(SCOPE).path("get");
        for (JsonNode p : get.path("parameters")) {
            if (p.path("name").asText().equals("version")) {
                ((ObjectNode) p.path("schema")).put("type", "integer").put("minimum", 1);
            } else if (p.path("name").asText().equals("resolved")) {
                ((ObjectNode) p.path("schema")).put("type", "boolean");
            }
        }
        ((ObjectNode) get).put("operationId", "policies.get");
        JsonNode rollback =
                doc.path("paths").path(SCOPE + "/rollback/{version}").path("post");
        for (JsonNode p : rollback.path("parameters")) {
            if (p.path("name").asText().equals("version")) {
                ((ObjectNode) p.path("schema")).put("type", "integer").put("minimum", 1);
            }
        }
    }
}
