package dev.gavel.engine.model;

/**
 * When a warn (or audit) policy is ready to be promoted a step, as the policy states it ({@code spec.promotion}):
 * at least {@code minEvaluations} evaluations in the window, at least {@code minDaysInWarn} days at its present
 * enforcement, and a would-deny rate (evaluations it denied or would have denied, over those that ran it) of at
 * most {@code maxWouldDenyRate}. The window is the evaluation log's 7-day roll-up.
 */
public record PromotionRule(long minEvaluations, int minDaysInWarn, double maxWouldDenyRate) {
    /** What a policy that states no rule gets: ran at least once in the window and would have denied nothing. */
    public static final PromotionRule DEFAULT = new PromotionRule(1, 0, 0.0);
    /** Days of the window the figures are counted over. */
    public static final int WINDOW_DAYS = 7;

    public PromotionRule {
        if (minEvaluations < 1) {
            throw new IllegalArgumentException("minEvaluations must be at least 1");
        }
        if (minDaysInWarn < 0) {
            throw new IllegalArgumentException("minDaysInWarn must be at least 0");
        }
        if (!(maxWouldDenyRate >= 0 && maxWouldDenyRate <= 1)) {
            throw new IllegalArgumentException("maxWouldDenyRate must be from 0 to 1");
        }
    }
}
