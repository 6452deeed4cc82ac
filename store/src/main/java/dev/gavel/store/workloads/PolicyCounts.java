package dev.gavel.store.workloads;

/**
 * How many workloads a policy governs.
 *
 * @param trackedPods pods it governs directly plus the pods of the jobs it governs (distinct)
 */
public record PolicyCounts(long pods, long jobs, long trackedPods) {
    public static final PolicyCounts NONE = new PolicyCounts(0, 0, 0);
}
