package dev.gavel.store.log;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One evaluation, as written to the log and read back.
 *
 * @param id public, time-ordered id ({@link EvaluationIds#next()})
 * @param scope dotted scope of the request ({@code ""} = global)
 * @param tenant the first scope segment, {@code ""} for the global scope
 * @param decision allow, warn or deny
 * @param requestJson the request as received (JSON text)
 * @param applicable the distinct policies the request was evaluated against (for usage counts and the applied
 *     set); not read back. Pass the same list instance for requests of one scope and type where possible: the
 *     writer then finds its set without hashing it
 * @param resourceName the request's {@code resource.name}, or null; counted per policy and resource type in
 *     {@code policy_resource} (distinct resources a policy applied to); not read back
 */
public record EvaluationRecord(
        String id,
        Instant time,
        String scope,
        String tenant,
        String resourceType,
        String action,
        String decision,
        String commit,
        long durationMicros,
        String requestJson,
        List<LoggedMatch> matches,
        List<PolicyKey> applicable,
        String resourceName) {

    /** A record without a resource name (the resource is not counted among the distinct resources). */
    public EvaluationRecord(
            String id,
            Instant time,
            String scope,
            String tenant,
            String resourceType,
            String action,
            String decision,
            String commit,
            long durationMicros,
            String requestJson,
            List<LoggedMatch> matches,
            List<PolicyKey> applicable) {
        this(
                id,
                time,
                scope,
                tenant,
                resourceType,
                action,
                decision,
                commit,
                durationMicros,
                requestJson,
                matches,
                applicable,
                null);
    }

    public EvaluationRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(requestJson, "requestJson");
        matches = matches == null ? List.of() : List.copyOf(matches);
        applicable = applicable == null ? List.of() : List.copyOf(applicable);
    }
}
