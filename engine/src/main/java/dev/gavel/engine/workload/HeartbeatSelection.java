package dev.gavel.engine.workload;

import dev.gavel.engine.model.PolicyId;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Settings;
import java.util.Comparator;
import java.util.Optional;

/**
 * A heartbeat policy whose selection rule fired for a workload.
 *
 * @param definedAt the scope of the definition whose variant selected it (the nearest one on the path)
 * @param settings the policy's settings as they apply there (merged across scopes)
 */
public record HeartbeatSelection(String policy, ScopePath definedAt, String file, Settings.Heartbeat settings) {

    /**
     * The governing order: nearest scope first (deepest {@code definedAt}), then shortest interval (a
     * policy without one last), then policy name, so the choice never depends on firing order.
     */
    public static final Comparator<HeartbeatSelection> GOVERNING = Comparator.comparingInt(
                    (HeartbeatSelection s) -> -s.definedAt().depth())
            .thenComparingLong(s -> s.interval().orElse(Long.MAX_VALUE))
            .thenComparing(HeartbeatSelection::policy);

    public Optional<Long> interval() {
        return settings.interval();
    }

    /** The policy's stable id (of its nearest definition). */
    public PolicyId id() {
        return PolicyId.of(definedAt, policy);
    }
}
