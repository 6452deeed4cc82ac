package dev.gavel.store.workloads;

import java.util.List;
import java.util.Optional;

/**
 * A workload one policy governs, as a page of a policy's workloads lists it.
 *
 * @param priority a job's priority; empty for a pod
 * @param podIds a job's pods; empty for a pod
 */
public record MatchedWorkload(
        String cluster,
        String kind,
        String id,
        String name,
        String namespace,
        String status,
        Optional<Integer> priority,
        List<String> podIds,
        Optional<Long> interval) {
    public MatchedWorkload {
        podIds = List.copyOf(podIds);
    }
}
