package dev.gavel.bench.workload;

import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The decisions a snapshot gives a request mix: shares of deny, warn and allow, mean matches and
 * requests with a missing field. Used to check that a generated mix is the one a benchmark claims.
 */
public record DecisionMix(int requests, Map<Decision, Integer> counts, double meanMatches, int withMissing) {
    public static DecisionMix of(PolicySnapshot snapshot, List<Request> requests) {
        Map<Decision, Integer> counts = new EnumMap<>(Decision.class);
        for (Decision d : Decision.values()) {
            counts.put(d, 0);
        }
        long matches = 0;
        int missing = 0;
        for (Request r : requests) {
            Evaluation e = snapshot.evaluate(r);
            counts.merge(e.decision(), 1, Integer::sum);
            matches += e.matches().size();
            missing += e.missing().isEmpty() ? 0 : 1;
        }
        return new DecisionMix(requests.size(), Map.copyOf(counts), (double) matches / requests.size(), missing);
    }

    public double share(Decision d) {
        return (double) counts.getOrDefault(d, 0) / requests;
    }

    /**
     * @throws IllegalStateException when deny is not within 10 % ± 4 points or warn not within 20 % ± 6
     */
    public DecisionMix requireTargetShares() {
        double deny = share(Decision.DENY);
        double warn = share(Decision.WARN);
        if (Math.abs(deny - 0.10) > 0.04 || Math.abs(warn - 0.20) > 0.06) {
            throw new IllegalStateException("request mix off target (10 % deny, 20 % warn): " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%d requests: deny %.1f %%, warn %.1f %%, allow %.1f %%, %.2f matches/request, "
                        + "%.1f %% with a missing field",
                requests,
                100 * share(Decision.DENY),
                100 * share(Decision.WARN),
                100 * share(Decision.ALLOW),
                meanMatches,
                100.0 * withMissing / requests);
    }
}
