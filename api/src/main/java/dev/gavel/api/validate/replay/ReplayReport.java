package dev.gavel.api.validate.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What replaying logged requests against a head found: how many were replayed, how many would now be decided
 * differently, by transition ({@code allow->deny}, {@code deny->allow}, {@code allow->refused}, ...) and by the
 * policy that makes the difference, with a few examples each.
 *
 * @param transitions flips by {@code before->after}, most frequent first
 * @param policies flips by the policy whose say changed, most flips first
 * @param unreadable logged rows whose request is not a JSON object (not replayed)
 * @param millis wall time of the replay, reading included
 */
public record ReplayReport(
        String source,
        Optional<Instant> since,
        long limit,
        long replayed,
        long flipped,
        long unreadable,
        Map<String, Long> transitions,
        List<PolicyFlips> policies,
        long millis) {

    /** The pseudo-policy for flips no single policy explains (a request the head can no longer read). */
    public static final String NO_SINGLE_POLICY = "";

    public ReplayReport {
        transitions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(transitions));
        policies = List.copyOf(policies);
    }

    public long unchanged() {
        return replayed - flipped;
    }

    /**
     * Flips that one policy definition explains.
     *
     * @param policy the policy name; {@link #NO_SINGLE_POLICY} when none does
     * @param definedAt dotted scope of the definition ({@code ""} = global)
     */
    public record PolicyFlips(
            String policy, String definedAt, long total, Map<String, Long> transitions, List<FlipExample> examples) {
        public PolicyFlips {
            transitions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(transitions));
            examples = List.copyOf(examples);
        }
    }

    /**
     * One flipped request.
     *
     * @param id the logged evaluation's id
     * @param before the logged decision
     * @param after the head's decision, or {@code refused} when the head would answer 422
     * @param why the rule message or field error that makes the difference
     */
    public record FlipExample(String id, Instant time, String scope, String before, String after, String why) {}
}
