package dev.gavel.api.server.eval;

import dev.gavel.api.wire.Evaluations.Promotion;
import dev.gavel.api.wire.Evaluations.PromotionCriteria;
import dev.gavel.api.wire.Evaluations.PromotionFigures;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PromotionRule;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.store.log.EvaluationReader;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.store.log.PolicyKey;
import dev.gavel.store.log.PolicyUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Promotion backed by data: whether a warn or audit policy meets the promotion rule it states (or the default),
 * from the evaluation log's 7-day usage and, for the days at its enforcement, the policy file's Git history.
 */
public final class PromotionReadiness {
    /** Since when a policy file has had the enforcement it has now (its Git history); empty when unknown. */
    @FunctionalInterface
    public interface EnforcementHistory {
        Optional<Instant> since(String file, Enforcement current);

        EnforcementHistory UNKNOWN = (file, current) -> Optional.empty();
    }

    private final EvaluationReader log;
    private final Clock clock;
    private volatile EnforcementHistory history = EnforcementHistory.UNKNOWN;

    PromotionReadiness(EvaluationReader log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Reads the days at an enforcement from {@code h} (the composition root gives the Git-backed one). */
    public void useHistory(EnforcementHistory h) {
        this.history = h;
    }

    /**
     * The readiness of {@code d}, judged on {@code resolved} (the policy as it applies at the definition's scope):
     * only an active warn or audit policy can be ready.
     */
    public Promotion of(PolicyDefinition d, Policy resolved) {
        Instant now = clock.instant();
        PromotionRule rule = resolved.spec().promotionRule();
        Enforcement e = resolved.spec().enforcement();
        PolicyUsage.Counts week =
                usage(new PolicyKey(d.name(), d.scope().dotted()), now).last7d();
        double rate = week.evaluations() == 0 ? 0.0 : round((double) week.denies() / week.evaluations());
        Optional<Instant> since = history.since(d.file(), e);
        long days = since.map(t -> Duration.between(t, now).toDays()).orElse(0L);
        List<String> unmet = new ArrayList<>();
        if (resolved.spec().status() != Status.ACTIVE) {
            unmet.add("the policy is paused");
        } else if (e != Enforcement.WARN && e != Enforcement.AUDIT) {
            unmet.add("enforcement is " + e.value() + ": only warn and audit policies are promoted on data");
        }
        if (week.evaluations() < rule.minEvaluations()) {
            unmet.add("minEvaluations: " + week.evaluations() + " of " + rule.minEvaluations() + " in the last "
                    + PromotionRule.WINDOW_DAYS + " days");
        }
        if (days < rule.minDaysInWarn()) {
            unmet.add("minDaysInWarn: " + days + " of " + rule.minDaysInWarn() + " days at " + e.value());
        }
        if (rate > rule.maxWouldDenyRate()) {
            unmet.add("maxWouldDenyRate: " + rate + " is over " + rule.maxWouldDenyRate() + " (" + week.denies()
                    + " of " + week.evaluations() + " would have been denied)");
        }
        return new Promotion(
                unmet.isEmpty(),
                new PromotionCriteria(
                        rule.minEvaluations(),
                        rule.minDaysInWarn(),
                        rule.maxWouldDenyRate(),
                        PromotionRule.WINDOW_DAYS,
                        resolved.spec().promotion().isPresent()),
                new PromotionFigures(week.evaluations(), week.denies(), rate, since, days),
                List.copyOf(unmet));
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4f", v));
    }

    private PolicyUsage usage(PolicyKey key, Instant now) {
        try {
            return log.usage(key, now);
        } catch (LogUnavailableException e) {
            return PolicyUsage.NONE;
        }
    }
}
