package dev.gavel.store.workloads;

import java.time.Instant;
import java.util.Optional;

/**
 * A cluster and its last report.
 *
 * @param tenant the tenant of the token that first reported it; the cluster is that tenant's
 * @param matchedCommit the policy commit its matches were last computed at (empty before the first)
 */
public record ClusterInfo(
        String name,
        String tenant,
        Instant reportedAt,
        int pods,
        int jobs,
        Optional<String> matchedCommit,
        Optional<Instant> matchedAt) {}
