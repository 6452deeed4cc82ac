package dev.gavel.api.compat.cedana;

import static dev.gavel.api.compat.cedana.CedanaRequests.object;
import static dev.gavel.api.compat.cedana.CedanaRequests.parse;
import static dev.gavel.api.compat.cedana.CedanaRequests.requireOnly;
import static dev.gavel.api.compat.cedana.CedanaRequests.settings;
import static dev.gavel.api.compat.cedana.CedanaRequests.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.FaceCaller;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.CommitPipeline;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.Mappers;
import dev.gavel.api.workloads.WorkloadFeature;
import dev.gavel.engine.model.HeartbeatResource;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyId;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.workloads.ClusterInfo;
import dev.gavel.store.workloads.MatchedWorkload;
import dev.gavel.store.workloads.PolicyCounts;
import dev.gavel.store.workloads.StoredPod;
import dev.gavel.store.workloads.WorkloadStore;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The Cedana face's handlers: a {@code PolicyRequest} becomes a heartbeat policy file's settings (one commit
 * through {@link CommitPipeline}, validated and compiled like any write); reads come from the snapshot and
 * the workload store's matches. Field mapping: docs/compat.md, seed 003.
 */
final class CedanaPolicies {
    private static final int PAGE = 10_000;

    private final SnapshotService snapshots;
    private final CommitPipeline pipeline;
    private final WorkloadFeature workloads;

    CedanaPolicies(SnapshotService snapshots, CommitPipeline pipeline, WorkloadFeature workloads) {
        this.snapshots = snapshots;
        this.pipeline = pipeline;
        this.workloads = workloads;
    }

    // ---- writes

    void create(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        ObjectNode settings = settings(object(ctx));
        Set<String> taken =
                snapshots.require().policies().definedAt(caller.tenantScope()).keySet();
        String name;
        do {
            name = "heartbeat-" + UUID.randomUUID().toString().substring(0, 8);
        } while (taken.contains(name));
        PolicyPath where = new PolicyPath(caller.tenantScope(), name);
        ObjectNode tree = Json.object();
        tree.put("apiVersion", Policy.API_VERSION);
        tree.put("kind", Policy.KIND);
        ObjectNode md = tree.putObject("metadata");
        md.put("name", name);
        md.put("displayName", "Cedana heartbeat " + name.substring("heartbeat-".length()));
        md.put("category", "operations");
        ObjectNode spec = tree.putObject("spec");
        spec.put("type", PolicyType.HEARTBEAT.value());
        spec.put("enforcement", "audit");
        spec.set("settings", settings);
        byte[] content = yaml(parse(tree, where), where);
        pipeline.write(
                ctx,
                caller.caller(),
                "Create heartbeat policy " + where.scope().dotted() + "/" + name + " via the Cedana API",
                false,
                files -> {
                    if (files.containsKey(where.path())) {
                        throw ApiProblem.conflict(
                                "a policy named '" + where.name() + "' was created meanwhile; retry", List.of());
                    }
                    return ChangeSet.put(where.path(), content);
                });
        text(ctx, PolicyId.of(where).uuid());
    }

    void update(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        JsonNode body = object(ctx);
        JsonNode id = body.get("id");
        if (id == null || id.isNull() || !id.isTextual()) {
            throw ApiProblem.badRequest("the id of the policy to update is required", FieldError.of("id", "required"));
        }
        ObjectNode settings = settings(body);
        PolicyDefinition d = definition(caller, id.textValue());
        ObjectNode tree;
        try {
            tree = (ObjectNode) Mappers.YAML.readTree(PolicyWriter.toYaml(d.policy(), d.file()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ((ObjectNode) tree.get("spec")).set("settings", settings);
        byte[] content = yaml(parse(tree, d.path()), d.path());
        pipeline.write(
                ctx,
                caller.caller(),
                "Update heartbeat policy " + d.scope().dotted() + "/" + d.name() + " via the Cedana API",
                false,
                files -> {
                    if (!files.containsKey(d.file())) {
                        throw notFound(id.textValue());
                    }
                    return ChangeSet.put(d.file(), content);
                });
        text(ctx, d.id().uuid());
    }

    void delete(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        JsonNode body = object(ctx);
        requireOnly(body, Set.of("id"));
        JsonNode id = body.get("id");
        if (id == null || !id.isTextual()) {
            throw ApiProblem.badRequest(
                    "the id of the policy to delete is required", FieldError.of("id", "required: a UUID"));
        }
        PolicyDefinition d = definition(caller, id.textValue());
        pipeline.write(
                ctx,
                caller.caller(),
                "Delete heartbeat policy " + d.scope().dotted() + "/" + d.name() + " via the Cedana API",
                false,
                files -> {
                    if (!files.containsKey(d.file())) {
                        throw notFound(id.textValue());
                    }
                    return ChangeSet.delete(d.file());
                });
        Json.ok(ctx, message("Policy " + d.id().uuid() + " deleted", 200));
    }

    void sync(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        int clusters = workloads.recompute(Optional.of(caller.tenant()));
        ObjectNode out = message("Job policies synced for " + clusters + " cluster" + (clusters == 1 ? "" : "s"), 200);
        out.putObject("details").put("clusters", clusters);
        Json.ok(ctx, out);
    }

    // ---- reads

    void list(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicySnapshot snap = snapshots.require();
        workloads.refresh();
        Optional<Set<String>> tenants = Optional.of(Set.of(caller.tenant()));
        Map<String, PolicyCounts> counts = workloads.store().counts(tenants);
        Optional<Instant> matched = lastMatched(caller);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (PolicyDefinition d : heartbeats(caller, snap)) {
            Settings.Heartbeat hb = settingsOf(snap, d);
            PolicyCounts c = counts.getOrDefault(d.scope().dotted() + "/" + d.name(), PolicyCounts.NONE);
            ObjectNode p = out.addObject();
            p.put("id", d.id().uuid());
            p.put(
                    "status",
                    snap.resolver()
                            .variant(d)
                            .map(v -> v.policy().spec().status())
                            .orElse(Status.ACTIVE)
                            .value());
            p.put("policy_type", PolicyType.HEARTBEAT.value());
            p.put("input", hb.interval().orElse(0L));
            p.put("resource", hb.selects().value());
            hb.resourceIds().forEach(p.putArray("resource_list")::add);
            p.put("pod_count", c.trackedPods());
            if (hb.selects() == HeartbeatResource.JOBS) {
                p.put("job_count", c.jobs());
            } else {
                p.putNull("job_count");
            }
            if (matched.isPresent()) {
                p.put("timestamp", matched.get().toString());
            } else {
                p.putNull("timestamp");
            }
        }
        Json.ok(ctx, out);
    }

    void pods(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        String raw = ctx.pathParam("policy_id");
        if (PolicyId.parseUuid(raw.toLowerCase(Locale.ROOT)).isEmpty()) {
            throw ApiProblem.badRequest("invalid policy_id format", FieldError.of("policy_id", "not a UUID"));
        }
        PolicyDefinition d = definition(caller, raw);
        workloads.refresh();
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (StoredPod p : workloads
                .store()
                .trackedPods(Optional.of(Set.of(caller.tenant())), d.scope().dotted(), d.name())) {
            out.addObject()
                    .put("id", p.id())
                    .put("name", p.name())
                    .put("namespace", p.namespace())
                    .put("status", p.status());
        }
        Json.ok(ctx, out);
    }

    void jobs(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicyDefinition d = jobPolicy(caller, ctx.pathParam("policy_id"));
        ObjectNode out = Json.object();
        out.put("policy_id", d.id().uuid());
        ArrayNode jobs = out.putArray("affected_jobs");
        List<MatchedWorkload> all = governedJobs(caller, d);
        for (MatchedWorkload j : all) {
            ObjectNode n = jobs.addObject();
            n.put("id", j.id())
                    .put("name", j.name())
                    .put("namespace", j.namespace())
                    .put("status", j.status())
                    .put("pod_count", j.podIds().size());
            if (j.priority().isPresent()) {
                n.put("priority", j.priority().get());
            } else {
                n.putNull("priority");
            }
        }
        out.put("count", all.size());
        Json.ok(ctx, out);
    }

    void jobStatus(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicyDefinition d = jobPolicy(caller, ctx.pathParam("policy_id"));
        List<MatchedWorkload> all = governedJobs(caller, d);
        Set<String> pods = new LinkedHashSet<>();
        all.forEach(j -> pods.addAll(j.podIds()));
        ObjectNode out = Json.object();
        out.put("policy_id", d.id().uuid());
        ArrayNode jobIds = out.putArray("job_ids");
        all.forEach(j -> jobIds.add(j.id()));
        pods.forEach(out.putArray("tracked_pods")::add);
        out.put("pod_count", pods.size());
        Set<String> statuses = new LinkedHashSet<>();
        all.forEach(j -> statuses.add(j.status()));
        if (statuses.isEmpty()) {
            out.putNull("job_status");
        } else {
            out.put("job_status", statuses.size() == 1 ? statuses.iterator().next() : "Mixed");
        }
        Optional<Instant> matched = lastMatched(caller);
        if (matched.isPresent()) {
            out.put("last_updated", matched.get().toString());
        } else {
            out.putNull("last_updated");
        }
        Json.ok(ctx, out);
    }

    // ---- helpers

    private List<MatchedWorkload> governedJobs(FaceCaller caller, PolicyDefinition d) {
        workloads.refresh();
        List<MatchedWorkload> all = new ArrayList<>();
        WorkloadStore.PageKey after = null;
        while (true) {
            List<MatchedWorkload> page = workloads
                    .store()
                    .governedBy(Optional.of(Set.of(caller.tenant())), d.scope().dotted(), d.name(), "job", after, PAGE);
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
            MatchedWorkload last = page.get(page.size() - 1);
            after = new WorkloadStore.PageKey(last.cluster(), last.kind(), last.id());
        }
    }

    private Optional<Instant> lastMatched(FaceCaller caller) {
        return workloads.store().clusters(Optional.of(Set.of(caller.tenant()))).stream()
                .map(ClusterInfo::matchedAt)
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    /** The tenant's heartbeat policies (its scope and below), by scope and name. */
    private static List<PolicyDefinition> heartbeats(FaceCaller caller, PolicySnapshot snap) {
        return snap.policies().all().stream()
                .filter(d -> caller.owns(d.scope()) && d.policy().type() == PolicyType.HEARTBEAT)
                .sorted(Comparator.comparing((PolicyDefinition d) -> d.scope().dotted())
                        .thenComparing(PolicyDefinition::name))
                .toList();
    }

    private static Settings.Heartbeat settingsOf(PolicySnapshot snap, PolicyDefinition d) {
        return snap.resolver()
                .variant(d)
                .map(v -> v.policy().spec().settings())
                .filter(Settings.Heartbeat.class::isInstance)
                .map(Settings.Heartbeat.class::cast)
                .orElseGet(() -> (Settings.Heartbeat) d.policy().spec().settings());
    }

    /** The caller's heartbeat policy with this id; 404 for any other (another tenant's too). */
    private PolicyDefinition definition(FaceCaller caller, String raw) {
        return PolicyId.parseUuid(raw == null ? null : raw.toLowerCase(Locale.ROOT))
                .flatMap(id -> snapshots.require().policies().byId(id))
                .filter(d -> caller.owns(d.scope()) && d.policy().type() == PolicyType.HEARTBEAT)
                .orElseThrow(() -> notFound(raw));
    }

    private PolicyDefinition jobPolicy(FaceCaller caller, String raw) {
        PolicyDefinition d = definition(caller, raw);
        if (settingsOf(snapshots.require(), d).selects() != HeartbeatResource.JOBS) {
            throw ApiProblem.notFound("policy '" + Names.printable(raw) + "' is not a job policy (resource: jobs)");
        }
        return d;
    }

    private static ApiProblem notFound(String raw) {
        return ApiProblem.notFound("policy '" + Names.printable(String.valueOf(raw)) + "' not found");
    }

    private static ObjectNode message(String message, int status) {
        ObjectNode out = Json.object();
        out.put("message", message);
        out.put("code", Integer.toString(status));
        return out;
    }

    private static void text(Context ctx, String value) {
        ctx.status(200).contentType("text/plain; charset=utf-8").result(value);
    }
}
