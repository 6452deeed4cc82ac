package dev.gavel.store.workloads;

import java.util.List;

/** A cluster's whole current set of workloads: one report replaces the previous one. */
public record ClusterReport(List<StoredPod> pods, List<StoredJob> jobs) {
    public ClusterReport {
        pods = List.copyOf(pods);
        jobs = List.copyOf(jobs);
    }

    public int size() {
        return pods.size() + jobs.size();
    }
}
