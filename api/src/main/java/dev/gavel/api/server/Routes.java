package dev.gavel.api.server;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.gavel.api.auth.Role;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.eval.EvaluationFeature;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.BreakerReset;
import dev.gavel.api.wire.EvaluationRequest;
import dev.gavel.api.wire.Evaluations;
import dev.gavel.api.wire.Health;
import dev.gavel.api.wire.History;
import dev.gavel.api.wire.HookResult;
import dev.gavel.api.wire.ImpactRequest;
import dev.gavel.api.wire.PolicyList;
import dev.gavel.api.wire.RawPolicy;
import dev.gavel.api.wire.Readiness;
import dev.gavel.api.wire.RecordSchemas;
import dev.gavel.api.wire.ResolvedSet;
import dev.gavel.api.wire.ScopePolicies;
import dev.gavel.api.wire.ServerStatus;
import dev.gavel.api.wire.TemplateList;
import dev.gavel.api.wire.ValidationResult;
import dev.gavel.api.wire.Workloads;
import dev.gavel.api.wire.WriteResult;
import dev.gavel.api.workloads.WorkloadFeature;
import dev.gavel.store.git.GitPolicyRepository;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every route of the server, in one place: method, path, role, what the document says about it, and
 * the feature method that answers. {@link GavelServer} registers exactly this list and {@link
 * OpenApiDocument} describes exactly this list.
 */
final class Routes {
    static final String V1 = "/api/v1";
    private static final String POLICY = V1 + "/scopes/{scope}/policies/{name}";

    private final List<RouteDraft> drafts = new ArrayList<>();
    private final RecordSchemas schemas = new RecordSchemas();
    private List<ApiRoute> built;

    Routes(
            GitPolicyRepository repository,
            SnapshotService snapshots,
            ServerOptions options,
            PrometheusMeterRegistry metrics,
            EvaluationFeature evaluations,
            WorkloadFeature workloadFeature) {
        ListCursors cursors = new ListCursors();
        StatusRoutes status =
                new StatusRoutes(snapshots, () -> evaluations.log().failure());
        GitHook hook = new GitHook(snapshots, options.hookSecret());
        PolicyReads reads = new PolicyReads(repository, snapshots, cursors, evaluations.annotations(), workloadFeature);
        HistoryRoutes history = new HistoryRoutes(repository);
        PolicyWrites writes =
                new PolicyWrites(repository, new CommitPipeline(repository, snapshots, options.writeWait()));
        ValidateRoutes validate = new ValidateRoutes(repository, snapshots);
        ImpactRoutes impact = new ImpactRoutes(repository, snapshots);
        ScopeTreeRoutes tree = new ScopeTreeRoutes(snapshots);
        Optional<Role> open = Optional.empty();
        Optional<Role> reader = Optional.of(Role.READER);
        Optional<Role> editor = Optional.of(Role.EDITOR);
        Optional<Role> admin = Optional.of(Role.ADMIN);

        // Operations: no token (probes and scrapers carry none).
        add(GET, "/healthz", open, "operations", "Liveness: the process answers", status::healthz)
                .returns(Health.class);
        add(GET, "/readyz", open, "operations", "Readiness: 200 while a commit is served, else 503", status::readyz)
                .returns(Readiness.class)
                .also(503);
        add(
                        GET,
                        "/metrics",
                        open,
                        "operations",
                        "Prometheus metrics",
                        ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                .result(metrics.scrape()))
                .returns("Metrics")
                .media("text/plain");
        add(
                        GET,
                        "/openapi.json",
                        open,
                        "operations",
                        "This document",
                        ctx -> Json.ok(ctx, OpenApiDocument.build(all(), schemas)))
                .returns("OpenApi");
        add(
                        POST,
                        V1 + "/hooks/git",
                        hook.hasSecret() ? open : reader,
                        "operations",
                        "Fetch the branch now (a forge webhook; X-Hub-Signature-256 when a secret is configured)",
                        hook::handle)
                .body("HookRequest")
                .returns(HookResult.class)
                .status(202);
        add(
                        GET,
                        V1 + "/status",
                        reader,
                        "operations",
                        "Served commit, newest commit and its diagnostics",
                        status::status)
                .returns(ServerStatus.class);

        add(
                        GET,
                        V1 + "/me",
                        reader,
                        "operations",
                        "Who the token is: name, role and the tenants it is limited to",
                        tree::me)
                .returns(dev.gavel.api.wire.ScopeTree.Me.class);

        // Reads.
        add(
                        GET,
                        V1 + "/scopes",
                        reader,
                        "policies",
                        "The scopes the caller may see that hold policies (and those above them), with counts",
                        tree::scopes)
                .returns(dev.gavel.api.wire.ScopeTree.class);
        add(GET, V1 + "/policies", reader, "policies", "List policies across scopes", reads::list)
                .query("scope", "type", "status", "enforcement", "q", "sort", "limit", "cursor")
                .returns(PolicyList.class);
        add(
                        GET,
                        V1 + "/scopes/{scope}/policies",
                        reader,
                        "policies",
                        "Policies defined at exactly this scope (raw)",
                        reads::scopePolicies)
                .query("version", "at")
                .returns(ScopePolicies.class);
        add(GET, POLICY, reader, "policies", "One policy as its file defines it, with an ETag", reads::policy)
                .query("version", "at")
                .returns(RawPolicy.class)
                .sends("ETag", "X-Gavel-Commit")
                .yaml();
        add(
                        GET,
                        V1 + "/scopes/{scope}/resolved",
                        reader,
                        "policies",
                        "The resolved policies of a scope, with the layers and provenance of each",
                        reads::resolved)
                .query("version", "at")
                .returns(ResolvedSet.class);
        add(
                        GET,
                        V1 + "/scopes/{scope}/history",
                        reader,
                        "history",
                        "Versions of a scope, newest first",
                        history::scopeHistory)
                .returns(History.VersionList.class);
        add(
                        GET,
                        POLICY + "/history",
                        reader,
                        "history",
                        "Commits that changed one policy file, newest first",
                        history::policyHistory)
                .returns(History.VersionList.class);
        add(GET, V1 + "/commits", reader, "history", "Commits of the served branch, newest first", history::commits)
                .query("limit", "cursor")
                .returns(History.CommitList.class);
        add(GET, V1 + "/commits/{sha}", reader, "history", "One commit with its diff", history::commit)
                .returns(History.CommitDetails.class);
        add(
                        GET,
                        V1 + "/templates",
                        reader,
                        "authoring",
                        "One ready example policy per built-in type",
                        validate::templates)
                .returns(TemplateList.class);
        add(
                        POST,
                        V1 + "/validate",
                        reader,
                        "authoring",
                        "Check a policy document, or {conditions}, without committing",
                        validate::validate)
                .query("scope")
                .body("ValidateRequest")
                .returns(ValidationResult.class);
        add(
                        POST,
                        V1 + "/impact",
                        reader,
                        "authoring",
                        "gavel validate's report for two revisions: diagnostics, policy tests, impact per scope",
                        impact::impact)
                .body(ImpactRequest.class)
                .returns(dev.gavel.api.wire.ValidationReportBody.class);

        // Writes: one commit each, validated first.
        add(
                        POST,
                        V1 + "/scopes/{scope}/policies",
                        editor,
                        "policies",
                        "Create a policy (409 when it exists)",
                        writes::create)
                .body("Policy")
                .returns(WriteResult.class)
                .status(201)
                .reads("X-Gavel-Message")
                .sends("ETag", "Location", "X-Gavel-Commit", "X-Gavel-Version");
        add(PUT, POLICY, editor, "policies", "Create or replace a policy (If-Match honoured)", writes::put)
                .body("Policy")
                .returns(WriteResult.class)
                .also(201)
                .reads("If-Match", "X-Gavel-Message")
                .sends("ETag", "X-Gavel-Commit", "X-Gavel-Version");
        add(PATCH, POLICY, editor, "policies", "JSON merge patch (RFC 7396) of a policy", writes::patch)
                .body("MergePatch")
                .returns(WriteResult.class)
                .reads("If-Match", "X-Gavel-Message")
                .sends("ETag", "X-Gavel-Commit", "X-Gavel-Version");
        add(DELETE, POLICY, admin, "policies", "Delete a policy", writes::delete)
                .status(204)
                .reads("If-Match", "X-Gavel-Message");
        for (PolicyWrites.Lifecycle action : PolicyWrites.Lifecycle.values()) {
            add(
                            POST,
                            POLICY + "/" + action.path(),
                            editor,
                            "lifecycle",
                            action.summary(),
                            ctx -> writes.lifecycle(ctx, action))
                    .returns(WriteResult.class)
                    .reads("If-Match", "X-Gavel-Message")
                    .sends("ETag", "X-Gavel-Commit", "X-Gavel-Version");
        }
        add(
                        POST,
                        V1 + "/scopes/{scope}/rollback/{version}",
                        admin,
                        "history",
                        "A new commit restoring the scope's files as of that version",
                        writes::rollback)
                .returns(WriteResult.class)
                .reads("X-Gavel-Message")
                .sends("X-Gavel-Commit", "X-Gavel-Version");
        add(POST, V1 + "/commits/{sha}/revert", admin, "history", "A new commit undoing one commit", writes::revert)
                .returns(WriteResult.class)
                .reads("X-Gavel-Message")
                .sends("X-Gavel-Commit", "X-Gavel-Version");
        add(
                        POST,
                        V1 + "/pause-all",
                        admin,
                        "lifecycle",
                        "Pause every policy (one commit)",
                        ctx -> writes.setAll(ctx, true))
                .returns(WriteResult.class)
                .reads("X-Gavel-Message")
                .sends("X-Gavel-Commit", "X-Gavel-Version");
        add(
                        POST,
                        V1 + "/resume-all",
                        admin,
                        "lifecycle",
                        "Resume every paused policy (one commit)",
                        ctx -> writes.setAll(ctx, false))
                .returns(WriteResult.class)
                .reads("X-Gavel-Message")
                .sends("X-Gavel-Commit", "X-Gavel-Version");

        // Evaluations: decisions, the log, breakers, attention.
        var evaluate = evaluations.evaluate();
        var queries = evaluations.queries();
        add(
                        POST,
                        V1 + "/evaluate",
                        reader,
                        "evaluations",
                        "Decide one request {scope, resource, action, location, flavor, tokens, attributes}; logged",
                        evaluate::evaluate)
                .body(EvaluationRequest.class)
                .returns(Evaluations.EvaluationAnswer.class)
                .also(422, 503);
        add(
                        POST,
                        V1 + "/evaluate/batch",
                        reader,
                        "evaluations",
                        "Decide up to 1,000 requests ({requests: [...]}); logged",
                        evaluate::batch)
                .body(EvaluationRequest.BatchRequest.class)
                .returns(Evaluations.BatchAnswer.class)
                .also(422, 503);
        add(
                        GET,
                        V1 + "/evaluations",
                        reader,
                        "evaluations",
                        "Logged evaluations, newest first (keyset cursor)",
                        queries::list)
                .query("scope", "scopePrefix", "policy", "decision", "commit", "since", "until", "limit", "cursor")
                .returns(Evaluations.EvaluationList.class)
                .also(503);
        add(
                        GET,
                        V1 + "/evaluations/export",
                        reader,
                        "evaluations",
                        "Logged evaluations, newest first, as NDJSON (one per line; the filters of /evaluations; limit default 100,000)",
                        queries::export)
                .query("scope", "scopePrefix", "policy", "decision", "commit", "since", "until", "limit")
                .returns(Evaluations.LoggedEvaluation.class)
                .media("application/x-ndjson")
                .also(503);
        add(
                        GET,
                        V1 + "/evaluations/{id}",
                        reader,
                        "evaluations",
                        "One logged evaluation by its id: request, decision, matches, the commit that decided it",
                        queries::one)
                .returns(Evaluations.LoggedEvaluation.class)
                .also(400, 404, 503);
        add(
                        GET,
                        POLICY + "/evaluations",
                        reader,
                        "evaluations",
                        "Evaluations in which this policy matched, by page (pageSize at most 100), with the total",
                        queries::policyEvaluations)
                .query("page", "pageSize")
                .returns(Evaluations.PolicyEvaluations.class)
                .also(503);
        add(
                        POST,
                        POLICY + "/reset-circuit-breaker",
                        editor,
                        "lifecycle",
                        "Close the policy's circuit breaker: it counts at its own enforcement again",
                        evaluate::resetBreaker)
                .returns(BreakerReset.class);
        add(
                        GET,
                        V1 + "/attention",
                        reader,
                        "operations",
                        "What needs a person: overdue reviews, open breakers, a head that does not compile, policies to promote",
                        evaluations.attention()::attention)
                .returns(Evaluations.Attention.class);

        // Workloads: what clusters run, and the heartbeat policies governing it (docs/workloads.md).
        var workloads = workloadFeature.routes();
        add(
                        PUT,
                        V1 + "/clusters/{cluster}/workloads",
                        reader,
                        "workloads",
                        "A cluster's whole current set of pods and jobs (replaces its last report; at most 50,000 workloads)",
                        workloads::report)
                .body(Workloads.WorkloadReport.class)
                .returns(Workloads.ReportResult.class)
                .also(409, 413);
        add(
                        GET,
                        V1 + "/clusters/{cluster}/workloads",
                        reader,
                        "workloads",
                        "A cluster's last report, with its time",
                        workloads::workloads)
                .returns(Workloads.ClusterWorkloads.class);
        add(GET, V1 + "/clusters", reader, "workloads", "The caller's clusters, by name", workloads::clusters)
                .query("limit", "cursor")
                .returns(Workloads.ClusterList.class);
        add(
                        GET,
                        POLICY + "/workloads",
                        reader,
                        "workloads",
                        "The workloads a heartbeat policy governs, with the interval that applies, by page, and its counts",
                        workloads::policyWorkloads)
                .query("kind", "limit", "cursor")
                .returns(Workloads.PolicyWorkloads.class);
    }

    synchronized List<ApiRoute> all() {
        if (built == null) {
            built = drafts.stream().map(RouteDraft::build).toList();
        }
        return built;
    }

    private RouteDraft add(
            HandlerType method, String path, Optional<Role> role, String tag, String summary, Handler h) {
        RouteDraft d = new RouteDraft(method, path, role, tag, summary, h, schemas);
        drafts.add(d);
        return d;
    }

    /** The schemas of the body records the table names, for the document. */
    RecordSchemas schemas() {
        all();
        return schemas;
    }
}
