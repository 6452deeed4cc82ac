package dev.gavel.store.workloads;

import java.util.Optional;

/**
 * The heartbeat policy governing one workload, and the interval that applies to it.
 *
 * @param kind {@code pod} or {@code job}
 * @param policyScope the dotted scope of the governing policy's definition
 */
public record WorkloadMatch(
        String cluster,
        String kind,
        String workloadId,
        String policyScope,
        String policyName,
        Optional<Long> interval) {}
