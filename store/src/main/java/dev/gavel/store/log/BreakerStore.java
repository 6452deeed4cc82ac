package dev.gavel.store.log;

import java.util.List;

/** Where circuit-breaker states are kept across restarts. */
public interface BreakerStore {
    /** Records a breaker's state, replacing the previous one, durably before returning. */
    void saveBreaker(BreakerState state);

    /** Every breaker state recorded. */
    List<BreakerState> breakers();
}
