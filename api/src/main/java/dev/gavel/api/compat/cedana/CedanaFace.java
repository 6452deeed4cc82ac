package dev.gavel.api.compat.cedana;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.Face;
import dev.gavel.api.compat.FaceErrors;
import dev.gavel.api.compat.FaceRoute;
import dev.gavel.api.compat.FaceRoutes;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.CommitPipeline;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.workloads.WorkloadFeature;
import io.javalin.http.Context;
import java.util.List;

/**
 * Seed 003, the Cedana policy API, under {@code /compat/cedana}: {@code /v2/policy/...}. A policy is a
 * heartbeat policy file in the caller's tenant scope, addressed by {@code PolicyId.uuid()}; its pods and
 * jobs are the workloads Gavel's matching says it governs (docs/workloads.md). Errors are the seed's
 * {@code ApiError}: {@code {message, code, details}} with {@code code} the HTTP status as text.
 */
public final class CedanaFace implements Face {
    public static final String BASE = "/compat/cedana";
    static final String P = "/v2/policy";

    private static final java.util.regex.Pattern BODILESS_404 =
            java.util.regex.Pattern.compile(".*" + P + "/[^/]+/(jobs|job-status)");

    private final List<FaceRoute> routes;

    /** The face over a server's parts (for {@link dev.gavel.api.server.GavelServer#withFaces}). */
    public static CedanaFace of(dev.gavel.api.server.GavelServer server) {
        return new CedanaFace(server.snapshots(), server.commitPipeline(), server.workloads());
    }

    public CedanaFace(SnapshotService snapshots, CommitPipeline pipeline, WorkloadFeature workloads) {
        CedanaPolicies p = new CedanaPolicies(snapshots, pipeline, workloads);
        FaceRoutes t = new FaceRoutes();
        t.add(POST, P + "/create", "member", "Create policy (one commit); answers its id as text", p::create)
                .operationId("policy_create")
                .request(CedanaSchemas.POLICY_REQUEST)
                .response(CedanaSchemas.ID_TEXT)
                .media("text/plain");
        t.add(POST, P + "/update", "member", "Update policy: the body replaces its settings (one commit)", p::update)
                .operationId("policy_update")
                .request(CedanaSchemas.POLICY_REQUEST)
                .response(CedanaSchemas.ID_TEXT)
                .media("text/plain");
        t.add(DELETE, P + "/delete", "admin", "Delete policy (one commit)", p::delete)
                .operationId("policy_delete")
                .request(CedanaSchemas.DELETE_REQUEST)
                .response(CedanaSchemas.ERROR);
        t.add(GET, P + "/list", "runtime", "List policies", p::list)
                .operationId("policy_list")
                .response(CedanaSchemas.POLICY_LIST);
        t.add(
                        POST,
                        P + "/sync-jobs",
                        "member",
                        "Sync job policies manually: recompute the tenant's matches now",
                        p::sync)
                .operationId("sync_job_policies")
                .response(CedanaSchemas.ERROR);
        t.add(GET, P + "/{policy_id}/job-status", "runtime", "Get job policy tracking status", p::jobStatus)
                .operationId("get_job_policy_status")
                .response(CedanaSchemas.JOB_STATUS);
        t.add(GET, P + "/{policy_id}/jobs", "runtime", "Get jobs affected by a policy", p::jobs)
                .operationId("policy_jobs")
                .response(CedanaSchemas.JOBS);
        t.add(GET, P + "/{policy_id}/pods", "runtime", "Get pods monitored by a specific policy", p::pods)
                .operationId("policy_pods")
                .response(CedanaSchemas.PODS);
        routes = t.build();
    }

    @Override
    public String base() {
        return BASE;
    }

    @Override
    public String title() {
        return "Cedana API (policies)";
    }

    @Override
    public String tenantHeader() {
        return "X-Cedana-Org";
    }

    @Override
    public List<FaceRoute> routes() {
        return routes;
    }

    /**
     * The seed documents 400 for every refused body: Gavel's 422 (the policy would not validate) is one. Where
     * the seed documents a status without a body (404 of {@code /jobs} and {@code /job-status}, 500 of
     * {@code /sync-jobs}), none is sent.
     */
    @Override
    public void error(Context ctx, ApiProblem p) {
        int status = p.status() == 422 ? 400 : p.status();
        String path = ctx.path();
        if ((status == 404 && BODILESS_404.matcher(path).matches())
                || (status == 500 && path.endsWith(P + "/sync-jobs"))) {
            ctx.status(status).result(new byte[0]);
            return;
        }
        ObjectNode out = Json.object();
        out.put("message", p.detail());
        out.put("code", Integer.toString(status));
        if (p.errors().isEmpty()) {
            out.putNull("details");
        } else {
            FaceErrors.fieldDetails(out, "details", p);
        }
        FaceErrors.send(ctx, status, out);
    }

    @Override
    public ObjectNode errorSchema() {
        return CedanaSchemas.ERROR;
    }

    /** The seed's own statuses on each operation, with its descriptions; bodiless where the seed has no body. */
    @Override
    public void refineDocument(ObjectNode doc) {
        ObjectNode paths = (ObjectNode) doc.get("paths");
        seedStatus(paths, P + "/create", "post", "400", "Invalid request body", true);
        seedStatus(paths, P + "/create", "post", "500", "Failed to create policy in policy table", true);
        seedStatus(paths, P + "/update", "post", "400", "Invalid request body", true);
        seedStatus(paths, P + "/update", "post", "500", "Failed to update policy from policy table", true);
        seedStatus(paths, P + "/delete", "delete", "400", "Invalid request body", true);
        seedStatus(paths, P + "/delete", "delete", "500", "Failed to delete policy from policy table", true);
        seedStatus(paths, P + "/list", "get", "400", "Invalid request body", true);
        seedStatus(paths, P + "/list", "get", "500", "Failed to retriev policies from policy table", true);
        seedStatus(paths, P + "/sync-jobs", "post", "500", "Failed to sync job policies", false);
        seedStatus(paths, P + "/{policy_id}/job-status", "get", "404", "Policy not found", false);
        seedStatus(paths, P + "/{policy_id}/job-status", "get", "500", "Internal server error", false);
        seedStatus(paths, P + "/{policy_id}/jobs", "get", "404", "Policy not found or not a job policy", false);
        seedStatus(paths, P + "/{policy_id}/jobs", "get", "500", "Internal server error", false);
        seedStatus(paths, P + "/{policy_id}/pods", "get", "400", "Invalid policy_id format", true);
        seedStatus(paths, P + "/{policy_id}/pods", "get", "404", "Policy not found", true);
        seedStatus(paths, P + "/{policy_id}/pods", "get", "500", "Failed to connect/fetch from database", true);
    }

    private static void seedStatus(
            ObjectNode paths, String path, String method, String status, String description, boolean body) {
        ObjectNode r = ((ObjectNode) paths.path(path).path(method).path("responses")).putObject(status);
        r.put("description", description);
        if (body) {
            r.putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/Error");
        }
    }
}
