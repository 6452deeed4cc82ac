package dev.gavel.api.compat.cpod;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.Face;
import dev.gavel.api.compat.FaceErrors;
import dev.gavel.api.compat.FaceRoute;
import dev.gavel.api.compat.FaceRoutes;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.CommitPipeline;
import dev.gavel.api.server.GavelServer;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.store.git.GitPolicyRepository;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;

/**
 * Seed 004, policy documents, under {@code /compat/cpod}: {@code /api/v1/policies} with list, get, create,
 * update and complete. A record is a policy file of the caller's tenant, addressed by its {@code PolicyId} as
 * {@code per_<ULID>}. Errors: {@code {"error": {"status", "code", "message", "details": [{field, message}]}}}.
 */
public final class CpodFace implements Face {
    public static final String BASE = "/compat/cpod";
    static final String P = "/api/v1/policies";

    private final List<FaceRoute> routes;

    /** The face over a server's parts (for {@link GavelServer#withFaces}). */
    public static CpodFace of(GavelServer server) {
        return new CpodFace(server.repository(), server.snapshots(), server.commitPipeline(), Clock.systemUTC());
    }

    public CpodFace(GitPolicyRepository repository, SnapshotService snapshots, CommitPipeline pipeline, Clock clock) {
        CpodPolicies policies = new CpodPolicies(repository, snapshots, pipeline, clock);
        FaceRoutes t = new FaceRoutes();
        t.add(
                        GET,
                        P,
                        "runtime",
                        "List your policy records: filters, q search, sort, limit and cursor; soft-deleted "
                                + "records only with include_deleted=true or is_deleted=true",
                        policies::list)
                .query(CpodListQuery.PARAMS.toArray(String[]::new))
                .response(CpodSchemas.PAGE);
        t.add(
                        POST,
                        P,
                        "member",
                        "Create a record (one commit): an SLA policy when it has SLA fields, else a document",
                        policies::create)
                .request(CpodSchemas.CREATE)
                .response(CpodSchemas.RECORD)
                .status(201);
        t.add(GET, P + "/{id}", "runtime", "One record by id (soft-deleted ones too)", policies::get)
                .response(CpodSchemas.RECORD);
        t.add(
                        PATCH,
                        P + "/{id}",
                        "member",
                        "Update the fields given; null clears one; is_deleted soft-deletes or "
                                + "restores (owners and admins). One commit",
                        policies::update)
                .request(CpodSchemas.UPDATE)
                .response(CpodSchemas.RECORD);
        t.add(
                        POST,
                        P + "/{id}/complete",
                        "member",
                        "Complete the record's review: reviewed today; the next review "
                                + "from the cadence or next_review_at. One commit",
                        policies::complete)
                .optionalRequest(CpodSchemas.COMPLETE)
                .response(CpodSchemas.RECORD);
        routes = t.build();
    }

    @Override
    public String base() {
        return BASE;
    }

    @Override
    public String title() {
        return "Policies (policy documents)";
    }

    @Override
    public String tenantHeader() {
        return "X-Tenant-Id";
    }

    @Override
    public List<FaceRoute> routes() {
        return routes;
    }

    @Override
    public void error(Context ctx, ApiProblem p) {
        ObjectNode out = Json.object();
        ObjectNode e = out.putObject("error");
        e.put("status", p.status());
        e.put(
                "code",
                switch (p.slug()) {
                    case "validation-failed", "invalid-policies" -> "validation_error";
                    default -> p.slug().replace('-', '_');
                });
        e.put("message", p.detail());
        FaceErrors.fieldDetails(e, "details", p);
        FaceErrors.send(ctx, p.status(), out);
    }

    @Override
    public ObjectNode errorSchema() {
        return CpodSchemas.ERROR;
    }
}
