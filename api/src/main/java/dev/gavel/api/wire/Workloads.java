package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.engine.model.HeartbeatResource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Workload bodies: a cluster's report, its answer, the cluster list, a policy's workloads (docs/workloads.md). */
public final class Workloads {
    /** A DNS label (RFC 1123): cluster, pod, job and namespace names. */
    public static final String DNS_LABEL = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";
    /** A UUID, lower case. */
    public static final String UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    private Workloads() {}

    /** What a cluster agent sends: its whole current set (it replaces the previous report). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkloadReport(
            @Doc("The tenant the cluster belongs to: required with a token not limited to exactly one tenant")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            String tenant,

            List<Pod> pods,
            List<Job> jobs) {}

    /** A pod. */
    public record Pod(
            @Doc(pattern = UUID) String id,
            @Doc(pattern = DNS_LABEL) String name,
            @Doc(pattern = DNS_LABEL) String namespace,
            @Doc(example = "Running") String status,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels) {}

    /** A job and its pods (ids of pods in the same report). */
    public record Job(
            @Doc(pattern = UUID) String id,
            @Doc(pattern = DNS_LABEL) String name,
            @Doc(pattern = DNS_LABEL) String namespace,
            int priority,
            @Doc(example = "Running") String status,
            List<String> pods) {}

    /** The answer to a report. */
    public record ReportResult(
            @Doc(pattern = DNS_LABEL) String cluster,
            @Doc(pattern = Patterns.NAME) String tenant,
            Instant reportedAt,
            int pods,
            int jobs,

            @Doc("Workloads a heartbeat policy governs after this report")
            int governed,

            @Doc(value = "The policy commit the matches were computed at", pattern = Patterns.COMMIT)
            String commit) {}

    /** A cluster's last report. */
    public record ClusterWorkloads(
            @Doc(pattern = DNS_LABEL) String cluster,
            @Doc(pattern = Patterns.NAME) String tenant,
            Instant reportedAt,
            List<Pod> pods,
            List<Job> jobs,
            Optional<String> matchedCommit) {}

    /** One cluster of the caller's tenants. */
    public record ClusterSummary(
            @Doc(pattern = DNS_LABEL) String cluster,
            @Doc(pattern = Patterns.NAME) String tenant,
            Instant reportedAt,
            int pods,
            int jobs,
            Optional<String> matchedCommit) {}

    /** A page of clusters, by name. */
    public record ClusterList(List<ClusterSummary> data, Page meta) {}

    /** A page: is there more, the cursor of the next page, the total of all pages. */
    public record Page(boolean hasMore, Optional<String> nextCursor, long total, int limit) {}

    /** The workloads one heartbeat policy governs, by page, with its counts. */
    public record PolicyWorkloads(
            @Doc(pattern = Patterns.SCOPE) String scope,
            @Doc(pattern = Patterns.NAME) String name,
            @Doc("The policy's stable id (UUID)") String id,
            WorkloadCounts counts,
            List<GovernedWorkload> data,
            Page meta) {}

    /** How many workloads a policy governs; trackedPods adds the pods of its jobs. */
    public record WorkloadCounts(long pods, long jobs, long trackedPods) {}

    /** A workload a policy governs, and the interval that applies to it. */
    public record GovernedWorkload(
            @Doc(pattern = DNS_LABEL) String cluster,
            @Doc(value = "pod or job") String kind,
            @Doc(pattern = UUID) String id,
            String name,
            String namespace,
            String status,
            Optional<Integer> priority,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> pods,
            Optional<Long> interval) {}

    /** In an evaluate answer for a pod or job: the heartbeat policy governing it (docs/workloads.md). */
    public record GoverningHeartbeat(
            @Doc(pattern = Patterns.NAME) String policy,
            @Doc(pattern = Patterns.SCOPE) String definedAt,
            @Doc("The policy's stable id (UUID)") String id,
            Optional<Long> interval,
            @Doc(oneOf = HeartbeatResource.class) String resource,

            @Doc("The policy's settings as they apply at the request's scope")
            JsonNode settings,

            @Doc("Other heartbeat policies that select it too, in governing order")
            List<String> alsoSelectedBy) {}
}
