package dev.gavel.api.compat.workspace;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.Face;
import dev.gavel.api.compat.FaceErrors;
import dev.gavel.api.compat.FaceRoute;
import dev.gavel.api.compat.FaceRoutes;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.CommitPipeline;
import dev.gavel.api.server.eval.EvaluationFeature;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.store.git.GitPolicyRepository;
import io.javalin.http.Context;
import java.util.List;

/**
 * Seed 000, the workspace Policies API, under {@code /compat/workspace}: {@code /api/policies}... A
 * workspace is a Gavel tenant; a policy is a policy file in the tenant's scopes, addressed by its
 * {@code PolicyId} as a UUID. Errors: {@code {"error": {"code", "message", "details": [{field, message}]}}}.
 */
public final class WorkspaceFace implements Face {
    public static final String BASE = "/compat/workspace";
    static final String P = "/api/policies";

    private final List<FaceRoute> routes;

    /** The face over a server's parts (for {@link dev.gavel.api.server.GavelServer#withFaces}). */
    public static WorkspaceFace of(dev.gavel.api.server.GavelServer server) {
        return new WorkspaceFace(
                server.repository(), server.snapshots(), server.commitPipeline(), server.evaluations());
    }

    public WorkspaceFace(
            GitPolicyRepository repository,
            SnapshotService snapshots,
            CommitPipeline pipeline,
            EvaluationFeature evaluations) {
        WorkspacePolicies policies = new WorkspacePolicies(repository, snapshots, pipeline, evaluations);
        ObjectNode policy = WorkspaceSchemas.POLICY;
        FaceRoutes t = new FaceRoutes();
        t.add(
                        GET,
                        P + "/templates",
                        "runtime",
                        "Policy templates: one per condition provider check, with its params schema",
                        policies::templates)
                .response(WorkspaceSchemas.TEMPLATES);
        t.add(
                        GET,
                        P + "/attention-count",
                        "runtime",
                        "How many of the workspace's policies need attention, and why",
                        policies::attentionCount)
                .response(WorkspaceSchemas.ATTENTION);
        t.add(
                        POST,
                        P + "/validate-conditions",
                        "runtime",
                        "Validate condition provider checks before creating a policy",
                        policies::validateConditions)
                .request(WorkspaceSchemas.VALIDATE_REQUEST)
                .response(WorkspaceSchemas.VALIDATION);
        t.add(POST, P, "member", "Create a policy (one commit)", policies::create)
                .request(WorkspaceSchemas.POLICY_INPUT)
                .response(policy)
                .status(201);
        t.add(GET, P, "runtime", "List the workspace's policies", policies::list)
                .query("status", "enforcement")
                .response(WorkspaceSchemas.POLICY_LIST);
        t.add(GET, P + "/{id}", "runtime", "One policy by id", policies::get).response(policy);
        t.add(
                        PUT,
                        P + "/{id}",
                        "member",
                        "Update a policy: the fields given replace its own (one commit)",
                        policies::update)
                .request(WorkspaceSchemas.POLICY_UPDATE)
                .response(policy);
        t.add(PATCH, P + "/{id}", "member", "Same as PUT", policies::update)
                .request(WorkspaceSchemas.POLICY_UPDATE)
                .response(policy);
        t.add(DELETE, P + "/{id}", "admin", "Delete a policy (owners and admins; members get 403)", policies::delete)
                .status(204);
        t.add(
                        POST,
                        P + "/{id}/activate",
                        "member",
                        "Activate: it evaluates again",
                        ctx -> policies.lifecycle(ctx, "activate"))
                .response(policy);
        t.add(
                        POST,
                        P + "/{id}/deactivate",
                        "member",
                        "Deactivate: it stops evaluating until reactivated",
                        ctx -> policies.lifecycle(ctx, "deactivate"))
                .response(policy);
        t.add(
                        POST,
                        P + "/{id}/promote",
                        "member",
                        "Next enforcement level: off, audit, warn, block",
                        ctx -> policies.lifecycle(ctx, "promote"))
                .response(policy);
        t.add(
                        POST,
                        P + "/{id}/reset-circuit-breaker",
                        "member",
                        "Close a tripped circuit breaker",
                        policies::resetBreaker)
                .response(policy);
        t.add(
                        GET,
                        P + "/{id}/evaluations",
                        "runtime",
                        "Evaluations that applied the policy, passes included, by page",
                        policies::evaluations)
                .query("page", "pageSize")
                .response(WorkspaceSchemas.EVALUATIONS);
        t.add(
                        POST,
                        P + "/pause-all",
                        "admin",
                        "Pause every active policy of the workspace (one commit)",
                        ctx -> policies.setAll(ctx, true))
                .response(WorkspaceSchemas.BULK);
        t.add(
                        POST,
                        P + "/resume-all",
                        "admin",
                        "Resume every paused policy of the workspace (one commit)",
                        ctx -> policies.setAll(ctx, false))
                .response(WorkspaceSchemas.BULK);
        routes = t.build();
    }

    @Override
    public String base() {
        return BASE;
    }

    @Override
    public String title() {
        return "Policies API (workspace)";
    }

    @Override
    public String tenantHeader() {
        return "X-Workspace-Id";
    }

    @Override
    public List<FaceRoute> routes() {
        return routes;
    }

    @Override
    public void error(Context ctx, ApiProblem p) {
        ObjectNode out = Json.object();
        ObjectNode e = out.putObject("error");
        e.put("code", p.slug().replace('-', '_'));
        e.put("message", p.detail());
        FaceErrors.fieldDetails(e, "details", p);
        FaceErrors.send(ctx, p.status(), out);
    }

    @Override
    public ObjectNode errorSchema() {
        return WorkspaceSchemas.ERROR;
    }
}
