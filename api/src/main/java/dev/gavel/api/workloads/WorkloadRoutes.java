package dev.gavel.api.workloads;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.Workloads;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.PolicyId;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.workloads.ClusterInfo;
import dev.gavel.store.workloads.ClusterReport;
import dev.gavel.store.workloads.MatchedWorkload;
import dev.gavel.store.workloads.PolicyCounts;
import dev.gavel.store.workloads.StoredJob;
import dev.gavel.store.workloads.StoredPod;
import dev.gavel.store.workloads.WorkloadStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code PUT/GET /api/v1/clusters/{cluster}/workloads}, {@code GET /api/v1/clusters} and {@code GET
 * .../policies/{name}/workloads}. A cluster is its tenant's: another tenant's caller gets 404 for it and never
 * sees it listed (docs/workloads.md).
 */
public final class WorkloadRoutes {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final WorkloadFeature feature;
    private final SnapshotService snapshots;

    WorkloadRoutes(WorkloadFeature feature, SnapshotService snapshots) {
        this.feature = feature;
        this.snapshots = snapshots;
    }

    /** {@code PUT /clusters/{cluster}/workloads}: the cluster's whole current set replaces its last report. */
    public void report(Context ctx) {
        Caller caller = Caller.of(ctx);
        String cluster = cluster(ctx);
        ReportReader.Read read = ReportReader.read(ctx);
        String tenant = tenant(caller, read.tenant());
        Optional<ClusterInfo> existing = feature.store().cluster(cluster);
        if (existing.isPresent() && !existing.get().tenant().equals(tenant)) {
            throw ownedElsewhere(caller, cluster, existing.get());
        }
        WorkloadFeature.ReportOutcome out;
        try {
            out = feature.report(cluster, tenant, read.report());
        } catch (dev.gavel.store.workloads.ClusterOwnedException e) {
            throw ownedElsewhere(
                    caller, cluster, feature.store().cluster(cluster).orElseThrow()); // lost a race for it
        }
        ClusterInfo c = out.cluster();
        Json.ok(
                ctx,
                new Workloads.ReportResult(
                        c.name(), c.tenant(), c.reportedAt(), c.pods(), c.jobs(), out.governed(), out.commit()));
    }

    /** {@code GET /clusters/{cluster}/workloads}: the last report, with its time. */
    public void workloads(Context ctx) {
        Caller caller = Caller.of(ctx);
        ClusterInfo c = visibleCluster(caller, cluster(ctx));
        ClusterReport r = feature.store().report(c.name());
        Json.ok(
                ctx,
                new Workloads.ClusterWorkloads(
                        c.name(),
                        c.tenant(),
                        c.reportedAt(),
                        r.pods().stream().map(WorkloadRoutes::pod).toList(),
                        r.jobs().stream().map(WorkloadRoutes::job).toList(),
                        c.matchedCommit()));
    }

    /** {@code GET /clusters}: the caller's clusters by name, by page. */
    public void clusters(Context ctx) {
        Caller caller = Caller.of(ctx);
        int limit = limit(ctx);
        String after = cursor(ctx).map(k -> k.get(0)).orElse("");
        List<ClusterInfo> all = feature.store().clusters(caller.principal().tenants());
        List<ClusterInfo> rest =
                all.stream().filter(c -> c.name().compareTo(after) > 0).toList();
        List<ClusterInfo> page = rest.stream().limit(limit).toList();
        boolean more = rest.size() > page.size();
        Json.ok(
                ctx,
                new Workloads.ClusterList(
                        page.stream()
                                .map(c -> new Workloads.ClusterSummary(
                                        c.name(), c.tenant(), c.reportedAt(), c.pods(), c.jobs(), c.matchedCommit()))
                                .toList(),
                        new Workloads.Page(
                                more,
                                more
                                        ? Optional.of(
                                                encode(page.get(page.size() - 1).name()))
                                        : Optional.empty(),
                                all.size(),
                                limit)));
    }

    /** {@code GET /scopes/{scope}/policies/{name}/workloads}: what a heartbeat policy governs, by page. */
    public void policyWorkloads(Context ctx) {
        Caller caller = Caller.of(ctx);
        ScopePath scope = RequestInput.scope(ctx);
        String name = RequestInput.name(ctx);
        caller.requireVisible(scope);
        PolicySnapshot snap = snapshots.require();
        if (snap.policies().definition(scope, name).isEmpty()) {
            throw ApiProblem.notFound("no policy '" + name + "' at scope '" + scope.url() + "' in the served commit");
        }
        String kind = ctx.queryParam("kind");
        if (kind != null && !kind.equals("pod") && !kind.equals("job")) {
            throw ApiProblem.badRequest("invalid kind", FieldError.of("kind", "pod or job"));
        }
        int limit = limit(ctx);
        Optional<List<String>> key = cursor(ctx);
        if (key.isPresent() && key.get().size() != 3) {
            throw badCursor();
        }
        feature.refresh(); // a read never answers from matches behind the served commit
        Optional<Set<String>> tenants = tenantsOf(caller, scope);
        WorkloadStore.PageKey after = key.map(k -> new WorkloadStore.PageKey(k.get(0), k.get(1), k.get(2)))
                .orElse(null);
        List<MatchedWorkload> rows = feature.store().governedBy(tenants, scope.dotted(), name, kind, after, limit + 1);
        boolean more = rows.size() > limit;
        List<MatchedWorkload> page = more ? rows.subList(0, limit) : rows;
        PolicyCounts counts = feature.store().counts(tenants, scope.dotted(), name);
        long total = kind == null ? counts.pods() + counts.jobs() : kind.equals("pod") ? counts.pods() : counts.jobs();
        MatchedWorkload last = page.isEmpty() ? null : page.get(page.size() - 1);
        Json.ok(
                ctx,
                new Workloads.PolicyWorkloads(
                        scope.dotted(),
                        name,
                        PolicyId.of(scope, name).uuid(),
                        new Workloads.WorkloadCounts(counts.pods(), counts.jobs(), counts.trackedPods()),
                        page.stream()
                                .map(w -> new Workloads.GovernedWorkload(
                                        w.cluster(),
                                        w.kind(),
                                        w.id(),
                                        w.name(),
                                        w.namespace(),
                                        w.status(),
                                        w.priority(),
                                        w.podIds(),
                                        w.interval()))
                                .toList(),
                        new Workloads.Page(
                                more,
                                more ? Optional.of(encode(last.cluster(), last.kind(), last.id())) : Optional.empty(),
                                total,
                                limit)));
    }

    /** The tenants whose workloads a policy at {@code scope} can govern and the caller may see (all: empty). */
    static Optional<Set<String>> tenantsOf(Caller caller, ScopePath scope) {
        if (!scope.isGlobal()) {
            return Optional.of(Set.of(scope.segments().get(0)));
        }
        return caller.principal().tenants();
    }

    private static String tenant(Caller caller, Optional<String> named) {
        Optional<Set<String>> limited = caller.principal().tenants();
        if (named.isPresent()) {
            if (!caller.principal().canSeeTenant(named.get())) {
                throw ApiProblem.notFound("tenant '" + named.get() + "' does not exist");
            }
            return named.get();
        }
        if (limited.isPresent() && limited.get().size() == 1) {
            return limited.get().iterator().next();
        }
        throw ApiProblem.badRequest(
                "name the cluster's tenant with a tenant field (the token is not limited to exactly " + "one tenant)",
                FieldError.of("tenant", "required with this token"));
    }

    private ClusterInfo visibleCluster(Caller caller, String cluster) {
        return feature.store()
                .cluster(cluster)
                .filter(c -> caller.principal().canSeeTenant(c.tenant()))
                .orElseThrow(() -> ApiProblem.notFound("cluster '" + cluster + "' does not exist"));
    }

    private static ApiProblem ownedElsewhere(Caller caller, String cluster, ClusterInfo owner) {
        if (!caller.principal().canSeeTenant(owner.tenant())) {
            return ApiProblem.notFound("cluster '" + cluster + "' does not exist");
        }
        return ApiProblem.conflict(
                "cluster '" + cluster + "' belongs to tenant '" + owner.tenant() + "'; nothing was stored",
                List.of(FieldError.of("tenant", "the cluster's tenant is " + owner.tenant())));
    }

    static String cluster(Context ctx) {
        String raw = ctx.pathParam("cluster");
        if (!ReportReader.DNS_LABEL.matcher(raw).matches()) {
            throw ApiProblem.badRequest(
                    "invalid cluster name '" + Names.printable(raw) + "'",
                    FieldError.of("cluster", "a DNS label: lower-case letters, digits and '-', 1 to 63"));
        }
        return raw;
    }

    private static int limit(Context ctx) {
        return RequestInput.intQuery(ctx, "limit", 1, 10_000)
                .map(n -> Math.min(n, MAX_LIMIT))
                .orElse(DEFAULT_LIMIT);
    }

    private static Optional<List<String>> cursor(Context ctx) {
        String c = ctx.queryParam("cursor");
        if (c == null || c.isBlank()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(c.strip()), StandardCharsets.UTF_8);
            return Optional.of(List.of(text.split("\n", -1)));
        } catch (IllegalArgumentException e) {
            throw badCursor();
        }
    }

    private static ApiProblem badCursor() {
        return ApiProblem.badRequest("invalid cursor", FieldError.of("cursor", "not a cursor this list returned"));
    }

    private static String encode(String... parts) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    }

    static Workloads.Pod pod(StoredPod p) {
        return new Workloads.Pod(p.id(), p.name(), p.namespace(), p.status(), p.labels());
    }

    static Workloads.Job job(StoredJob j) {
        return new Workloads.Job(j.id(), j.name(), j.namespace(), j.priority(), j.status(), j.podIds());
    }
}
