package dev.gavel.store.log;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What the routes read from the evaluation log: pages of evaluations and usage roll-ups. */
public interface EvaluationReader {
    /**
     * Evaluations matching the filter, newest first, at most {@code limit}, after {@code cursor} (a previous
     * page's {@code nextCursor}, opaque to callers).
     *
     * @throws IllegalArgumentException for a cursor this reader did not issue
     */
    EvaluationPage list(EvaluationFilter filter, Optional<String> cursor, int limit);

    /** One evaluation by its public id (with its matches), or empty when the log holds none by that id. */
    Optional<EvaluationRecord> find(String id);

    /** Evaluations in which one policy definition matched, newest first, by page (1-based). */
    PolicyEvaluationPage policyEvaluations(PolicyKey key, int page, int pageSize);

    /** Evaluations that applied one policy definition, passes included, newest first, by page (1-based). */
    PolicyEvaluationPage appliedEvaluations(PolicyKey key, int page, int pageSize);

    /** Usage of every policy definition seen in the last 7 days. */
    Map<PolicyKey, PolicyUsage> usage(Instant now);

    /** Usage of one policy definition over the last 24 hours and 7 days. */
    PolicyUsage usage(PolicyKey key, Instant now);

    /** Distinct resources by type that each definition applied to in evaluations at or after {@code since}. */
    Map<PolicyKey, ResourceCounts> resourcesUsed(java.util.Collection<PolicyKey> keys, Instant since);
}
