package dev.gavel.api.server.eval;

import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.MissingField;
import dev.gavel.engine.model.CircuitBreaker;
import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.store.log.BreakerState;
import dev.gavel.store.log.BreakerStore;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.store.log.PolicyKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Circuit breakers of policies that declare {@code spec.circuitBreaker}. Counting is in memory (a ring of
 * buckets per definition over its window); only a trip or a reset touches the database, so the hot path
 * stays cheap, and open breakers are loaded back at start-up. An open breaker makes the engine treat the
 * policy as audit until an editor resets it.
 */
public final class Breakers implements CircuitBreakers {
    private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);
    private static final int BUCKETS = 10;

    private final BreakerStore log;
    private final Clock clock;
    private final Map<PolicyKey, BreakerState> open = new ConcurrentHashMap<>();
    private final Map<PolicyKey, Window> windows = new ConcurrentHashMap<>();
    private final Runnable onTrip;

    Breakers(BreakerStore log, Clock clock, Runnable onTrip) {
        this.log = log;
        this.clock = clock;
        this.onTrip = onTrip;
        for (BreakerState s : log.breakers()) {
            if (s.open()) {
                open.put(s.key(), s);
            }
        }
    }

    @Override
    public boolean isOpen(String policy, ScopePath definedAt) {
        return !open.isEmpty() && open.containsKey(new PolicyKey(policy, definedAt.dotted()));
    }

    public Optional<BreakerState> openState(PolicyKey key) {
        return Optional.ofNullable(open.get(key));
    }

    public List<BreakerState> allOpen() {
        return List.copyOf(open.values());
    }

    /** What one request was for one policy, as far as its breaker is concerned. */
    enum Outcome {
        PASSED,
        DENIED,
        FAILED
    }

    /**
     * Counts one decided request against the breakers of the definitions it ran; trips those over their limit.
     * A definition that lacked a field it needs (an audit policy, which cannot refuse the request) failed.
     */
    void record(List<Applicability.Applicable> applicable, List<Match> matches, List<MissingField> missing) {
        long now = -1;
        for (Applicability.Applicable a : applicable) {
            if (a.breaker().isEmpty()) {
                continue;
            }
            if (now < 0) {
                now = clock.millis();
            }
            Optional<MissingField> failed = failure(a.key(), missing);
            if (failed.isPresent()) {
                count(a, now, Outcome.FAILED, failed.get().field());
                continue;
            }
            boolean denied = false;
            for (Match m : matches) {
                if (m.effect() == Effect.DENY
                        && m.policy().equals(a.key().policy())
                        && m.definedAt().dotted().equals(a.key().definedAt())) {
                    denied = true;
                    break;
                }
            }
            count(a, now, denied ? Outcome.DENIED : Outcome.PASSED, "");
        }
    }

    /**
     * Counts a request refused because policies could not evaluate it: an error for each of those
     * definitions (the others did not decide anything, so they count nothing).
     */
    void recordFailures(List<Applicability.Applicable> applicable, List<MissingField> missing) {
        long now = clock.millis();
        for (Applicability.Applicable a : applicable) {
            if (a.breaker().isPresent()) {
                Optional<MissingField> failed = failure(a.key(), missing);
                if (failed.isPresent()) {
                    count(a, now, Outcome.FAILED, failed.get().field());
                }
            }
        }
    }

    private static Optional<MissingField> failure(PolicyKey key, List<MissingField> missing) {
        for (MissingField m : missing) {
            if (m.policy().equals(key.policy()) && m.definedAt().dotted().equals(key.definedAt())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private void count(Applicability.Applicable a, long now, Outcome outcome, String field) {
        CircuitBreaker cb = a.breaker().get();
        Window w = windows.compute(a.key(), (k, old) -> old != null && old.config.equals(cb) ? old : new Window(cb));
        Optional<String> over = w.add(now, outcome, field);
        if (over.isPresent() && !open.containsKey(a.key())) {
            trip(a.key(), over.get());
        }
    }

    private void trip(PolicyKey key, String reason) {
        Instant at = clock.instant();
        BreakerState s = new BreakerState(key, true, Optional.of(at), Optional.of(reason), at);
        if (open.putIfAbsent(key, s) != null) {
            return; // another request tripped it first
        }
        onTrip.run();
        LOG.warn(
                "circuit breaker of policy {} at {} opened: {}; it counts as audit until reset",
                key.policy(),
                key.definedAt().isEmpty() ? "(global)" : key.definedAt(),
                reason);
        try {
            log.saveBreaker(s);
        } catch (LogUnavailableException e) {
            LOG.error("could not persist the open breaker of {}: {}", key.policy(), e.getMessage());
        }
    }

    /** Closes the breaker and starts counting afresh; recorded even when it was not open. */
    public BreakerState reset(PolicyKey key) {
        BreakerState before = open.get(key);
        Instant now = clock.instant();
        BreakerState closed = new BreakerState(
                key, false, before == null ? Optional.empty() : before.openedAt(), Optional.empty(), now);
        log.saveBreaker(closed);
        open.remove(key);
        windows.remove(key);
        return closed;
    }

    /** Sliding window of BUCKETS buckets over the breaker's window: requests, denies and errors per bucket. */
    private static final class Window {
        final CircuitBreaker config;
        private final long bucketMillis;
        private final long[] epoch = new long[BUCKETS];
        private final long[] requests = new long[BUCKETS];
        private final long[] denies = new long[BUCKETS];
        private final long[] errors = new long[BUCKETS];

        Window(CircuitBreaker config) {
            this.config = config;
            this.bucketMillis = Math.max(1, config.window().toMillis() / BUCKETS);
            java.util.Arrays.fill(epoch, -1);
        }

        /**
         * Counts one outcome; the reason to trip when the window is now over a limit. A failed evaluation is not a
         * request for the deny rate (the policy decided nothing), only an error.
         */
        synchronized Optional<String> add(long nowMillis, Outcome outcome, String field) {
            long e = nowMillis / bucketMillis;
            int i = (int) (e % BUCKETS);
            if (epoch[i] != e) {
                epoch[i] = e;
                requests[i] = 0;
                denies[i] = 0;
                errors[i] = 0;
            }
            switch (outcome) {
                case PASSED -> requests[i]++;
                case DENIED -> {
                    requests[i]++;
                    denies[i]++;
                }
                case FAILED -> errors[i]++;
            }
            if (outcome == Outcome.PASSED) {
                return Optional.empty(); // only a deny or an error can push the window over a limit
            }
            long r = 0;
            long d = 0;
            long err = 0;
            for (int b = 0; b < BUCKETS; b++) {
                if (epoch[b] > e - BUCKETS) {
                    r += requests[b];
                    d += denies[b];
                    err += errors[b];
                }
            }
            Duration window = Duration.ofMillis(bucketMillis * BUCKETS);
            if (outcome == Outcome.FAILED) {
                long failures = err;
                return config.maxErrors()
                        .filter(max -> failures > max)
                        .map(max -> String.format(
                                Locale.ROOT,
                                "%d evaluation errors > maxErrors %d in %s (last: the request lacked %s)",
                                failures,
                                max,
                                window,
                                field));
            }
            if (r >= config.minRequests() && (double) d / r > config.maxDenyRate()) {
                return Optional.of(String.format(
                        Locale.ROOT,
                        "deny rate %.2f > %s over %d evaluations in %s",
                        (double) d / r,
                        config.maxDenyRate(),
                        r,
                        window));
            }
            return Optional.empty();
        }
    }
}
