package dev.gavel.api.workloads;

import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.workload.HeartbeatSelection;
import dev.gavel.engine.workload.Workload;
import dev.gavel.store.workloads.ClusterReport;
import dev.gavel.store.workloads.StoredJob;
import dev.gavel.store.workloads.StoredPod;
import dev.gavel.store.workloads.WorkloadMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs each reported workload through the tenant's knowledge base as a request (the engine's {@link
 * Workload#toRequest}) and keeps the governing heartbeat policy of each: the translation between the
 * store's rows and the engine's values, nothing else.
 */
final class WorkloadMatcher {
    private WorkloadMatcher() {}

    static List<WorkloadMatch> match(PolicySnapshot snapshot, String tenant, String cluster, ClusterReport report) {
        ScopePath scope = ScopePath.of(tenant);
        List<WorkloadMatch> out = new ArrayList<>();
        for (StoredPod p : report.pods()) {
            Workload w = new Workload(
                    Workload.Kind.POD, cluster, p.id(), p.name(), p.namespace(), Optional.empty(), p.labels());
            governing(snapshot, scope, w).ifPresent(s -> out.add(match(cluster, "pod", p.id(), s)));
        }
        for (StoredJob j : report.jobs()) {
            Workload w = new Workload(
                    Workload.Kind.JOB,
                    cluster,
                    j.id(),
                    j.name(),
                    j.namespace(),
                    Optional.of((long) j.priority()),
                    java.util.Map.of());
            governing(snapshot, scope, w).ifPresent(s -> out.add(match(cluster, "job", j.id(), s)));
        }
        return out;
    }

    private static Optional<HeartbeatSelection> governing(PolicySnapshot snapshot, ScopePath scope, Workload w) {
        List<HeartbeatSelection> s = snapshot.heartbeats(w.toRequest(scope));
        return s.isEmpty() ? Optional.empty() : Optional.of(s.get(0));
    }

    private static WorkloadMatch match(String cluster, String kind, String id, HeartbeatSelection s) {
        return new WorkloadMatch(cluster, kind, id, s.definedAt().dotted(), s.policy(), s.interval());
    }
}
