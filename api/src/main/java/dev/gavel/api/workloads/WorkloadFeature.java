package dev.gavel.api.workloads;

import dev.gavel.api.http.Caller;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.Workloads;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.workloads.ClusterInfo;
import dev.gavel.store.workloads.ClusterReport;
import dev.gavel.store.workloads.PolicyCounts;
import dev.gavel.store.workloads.WorkloadMatch;
import dev.gavel.store.workloads.WorkloadStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workloads as one feature: the store ({@code workloads.db} beside the evaluation log), the matching, and
 * keeping the stored matches on the served snapshot. Matches are recomputed when a cluster reports (its
 * own), when a new snapshot is served (every cluster whose tenant's or the global knowledge base changed;
 * the others are only relabelled), on demand ({@link #recompute}), and before any read finds them behind
 * the served commit. Writes of matches are serialised on this object.
 */
public final class WorkloadFeature implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadFeature.class);
    private static final long WATCH_MILLIS = 100;

    private final SnapshotService snapshots;
    private final WorkloadStore store;
    private final WorkloadRoutes routes;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gavel-workload-matches");
        t.setDaemon(true);
        return t;
    });
    /** The snapshot every cluster's matches were last brought to; guarded by this. */
    private PolicySnapshot matchedTo;

    public WorkloadFeature(SnapshotService snapshots, Path file) {
        this.snapshots = snapshots;
        this.store = WorkloadStore.open(file);
        this.routes = new WorkloadRoutes(this, snapshots);
    }

    /** Starts following the served snapshot (call once the snapshot service started). */
    public void start() {
        watcher.scheduleWithFixedDelay(
                () -> {
                    try {
                        refresh();
                    } catch (RuntimeException e) {
                        LOG.warn("recomputing workload matches failed: {}", e.toString());
                    }
                },
                0,
                WATCH_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    public WorkloadStore store() {
        return store;
    }

    public WorkloadRoutes routes() {
        return routes;
    }

    /** Stores a cluster's report with its matches on the served snapshot, in one transaction. */
    public synchronized ReportOutcome report(String cluster, String tenant, ClusterReport report) {
        PolicySnapshot snap = snapshots.require();
        List<WorkloadMatch> matches = WorkloadMatcher.match(snap, tenant, cluster, report);
        ClusterInfo info = store.replace(cluster, tenant, report, Instant.now(), snap.commit(), matches);
        return new ReportOutcome(info, matches.size(), snap.commit());
    }

    /** A stored report and how many of its workloads a heartbeat policy governs. */
    public record ReportOutcome(ClusterInfo cluster, int governed, String commit) {}

    /**
     * Brings every cluster's matches to the served snapshot when they are behind it; a cluster whose tenant's
     * knowledge base and the global one are the same objects as at its last match keeps its matches.
     */
    public synchronized void refresh() {
        Optional<PolicySnapshot> current = snapshots.current();
        if (current.isEmpty() || current.get() == matchedTo) {
            return;
        }
        PolicySnapshot snap = current.get();
        PolicySnapshot before = matchedTo;
        int recomputed = 0;
        for (ClusterInfo c : store.clusters(Optional.empty())) {
            if (c.matchedCommit().equals(Optional.of(snap.commit()))) {
                continue;
            }
            boolean unchanged = before != null
                    && c.matchedCommit().equals(Optional.of(before.commit()))
                    && samePartitions(before, snap, c.tenant());
            if (unchanged) {
                store.markMatched(c.name(), snap.commit(), Instant.now());
            } else {
                rematch(snap, c);
                recomputed++;
            }
        }
        matchedTo = snap;
        if (recomputed > 0) {
            LOG.info(
                    "workload matches of {} clusters recomputed at {}",
                    recomputed,
                    SnapshotService.shortId(snap.commit()));
        }
    }

    /** Recomputes the matches of every cluster of {@code tenant} (every cluster: empty) now; returns how many. */
    public synchronized int recompute(Optional<String> tenant) {
        PolicySnapshot snap = snapshots.require();
        int n = 0;
        for (ClusterInfo c : store.clusters(tenant.map(Set::of))) {
            rematch(snap, c);
            n++;
        }
        return n;
    }

    private void rematch(PolicySnapshot snap, ClusterInfo c) {
        ClusterReport report = store.report(c.name());
        store.replaceMatches(
                c.name(), snap.commit(), Instant.now(), WorkloadMatcher.match(snap, c.tenant(), c.name(), report));
    }

    /** The same knowledge bases (global and the tenant's) decide in both snapshots: identical selections. */
    private static boolean samePartitions(PolicySnapshot a, PolicySnapshot b, String tenant) {
        return a.partitions().get("") == b.partitions().get("")
                && a.partitions().get(tenant) == b.partitions().get(tenant);
    }

    /**
     * Counts for policy reads ({@code workloads} on a heartbeat policy): one store query per tenant set, per
     * response; null for other types. What the caller may see: a global policy's counts cover its tenants only.
     */
    public Function<PolicyDefinition, Workloads.WorkloadCounts> counter(Caller caller) {
        refresh();
        Map<Optional<Set<String>>, Map<String, PolicyCounts>> cache = new HashMap<>();
        return d -> {
            if (d.policy().type() != PolicyType.HEARTBEAT) {
                return null;
            }
            PolicyCounts c = cache.computeIfAbsent(WorkloadRoutes.tenantsOf(caller, d.scope()), store::counts)
                    .getOrDefault(d.scope().dotted() + "/" + d.name(), PolicyCounts.NONE);
            return new Workloads.WorkloadCounts(c.pods(), c.jobs(), c.trackedPods());
        };
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        try {
            watcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            store.close();
        }
    }
}
