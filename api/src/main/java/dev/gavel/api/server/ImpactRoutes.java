package dev.gavel.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.validate.ReportJson;
import dev.gavel.api.validate.RevisionFiles;
import dev.gavel.api.validate.Validation;
import dev.gavel.api.validate.ValidationReport;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.UnknownRevisionException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/v1/impact}: the report of {@code gavel validate --base B --head H --format json}
 * for two revisions of the served repository, so a bot or a UI can ask the server instead of running
 * the CLI. A tenant-limited caller sees only its tenants' scopes, files and tests.
 */
final class ImpactRoutes {
    private static final Set<String> FIELDS = Set.of("base", "head");

    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    /** Two compiles per request on a two-core machine: one report at a time keeps evaluations fast. */
    private final Object oneAtATime = new Object();

    ImpactRoutes(GitPolicyRepository repository, SnapshotService snapshots) {
        this.repository = repository;
        this.snapshots = snapshots;
    }

    void impact(Context ctx) {
        JsonNode body = RequestInput.jsonBody(ctx);
        if (!body.isObject()) {
            throw ApiProblem.badRequest("the body is {base, head?}", FieldError.of("body", "expected a JSON object"));
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw ApiProblem.badRequest(
                        "unknown field '" + f + "'", FieldError.of(f, "unknown field; expected base, head"));
            }
        });
        if (!body.path("base").isTextual()) {
            throw ApiProblem.badRequest(
                    "base is required", FieldError.of("base", "a ref or commit id of the served repository"));
        }
        if (body.has("head") && !body.get("head").isTextual()) {
            throw ApiProblem.badRequest(
                    "head is a string", FieldError.of("head", "a ref or commit id; default: the branch head"));
        }
        String base = RequestInput.revision("base", body.get("base").asText());
        String head = body.has("head")
                ? RequestInput.revision("head", body.get("head").asText())
                : repository.branch();
        RevisionFiles baseFiles = files("base", base);
        RevisionFiles headFiles = files("head", head);
        ValidationReport report;
        synchronized (oneAtATime) {
            report = Validation.run(headFiles, Optional.of(baseFiles), Validation.Steps.ALL, snapshots.current());
        }
        Caller caller = Caller.of(ctx);
        if (caller.isLimited()) {
            int visiblePolicies = (int) headFiles.files().keySet().stream()
                    .filter(f -> PolicyPath.isPolicyPath(f) && caller.canSeeFile(f))
                    .count();
            report = report.visibleTo(caller::canSee, caller::canSeeFile, visiblePolicies);
        }
        Json.ok(ctx, ReportJson.body(report));
    }

    private RevisionFiles files(String field, String ref) {
        try {
            String id = repository.resolve(ref);
            return RevisionFiles.ofCommit(ref, repository.filesAt(id));
        } catch (UnknownRevisionException e) {
            throw new ApiProblem(
                    422,
                    "unknown-revision",
                    "Unknown revision",
                    e.getMessage(),
                    List.of(FieldError.of(field, e.getMessage())));
        }
    }
}
