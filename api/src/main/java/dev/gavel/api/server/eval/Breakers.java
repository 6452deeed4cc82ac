package dev.gavel.api.server.eval;

import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.model.CircuitBreaker;
import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.store.log.BreakerState;
import dev.gavel.store.log.EvaluationLog;
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

  private final EvaluationLog log;
  private final Clock clock;
  private final Map<PolicyKey, BreakerState> open = new ConcurrentHashMap<>();
  private final Map<PolicyKey, Window> windows = new ConcurrentHashMap<>();
  private final Runnable onTrip;

  Breakers(EvaluationLog log, Clock clock, Runnable onTrip) {
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

  /** Counts one decided request against the breakers of the definitions it ran; trips those over their limit. */
  void record(List<Applicability.Applicable> applicable, List<Match> matches) {
    long now = -1;
    for (Applicability.Applicable a : applicable) {
      if (a.breaker().isEmpty()) {
        continue;
      }
      if (now < 0) {
        now = clock.millis();
      }
      CircuitBreaker cb = a.breaker().get();
      boolean denied = false;
      for (Match m : matches) {
        if (m.effect() == Effect.DENY && m.policy().equals(a.key().policy())
            && m.definedAt().dotted().equals(a.key().definedAt())) {
          denied = true;
          break;
        }
      }
      Window w = windows.compute(a.key(), (k, old) -> old != null && old.config.equals(cb) ? old : new Window(cb));
      Optional<String> over = w.add(now, denied);
      if (over.isPresent() && !open.containsKey(a.key())) {
        trip(a.key(), over.get());
      }
    }
  }

  private void trip(PolicyKey key, String reason) {
    Instant at = clock.instant();
    BreakerState s = new BreakerState(key, true, Optional.of(at), Optional.of(reason), at);
    if (open.putIfAbsent(key, s) != null) {
      return; // another request tripped it first
    }
    onTrip.run();
    LOG.warn("circuit breaker of policy {} at {} opened: {}; it counts as audit until reset", key.policy(),
        key.definedAt().isEmpty() ? "(global)" : key.definedAt(), reason);
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
    BreakerState closed = new BreakerState(key, false, before == null ? Optional.empty() : before.openedAt(),
        Optional.empty(), now);
    log.saveBreaker(closed);
    open.remove(key);
    windows.remove(key);
    return closed;
  }

  /** Sliding window of BUCKETS buckets over the breaker's window: requests and denies per bucket. */
  private static final class Window {
    final CircuitBreaker config;
    private final long bucketMillis;
    private final long[] epoch = new long[BUCKETS];
    private final long[] requests = new long[BUCKETS];
    private final long[] denies = new long[BUCKETS];

    Window(CircuitBreaker config) {
      this.config = config;
      this.bucketMillis = Math.max(1, config.window().toMillis() / BUCKETS);
      java.util.Arrays.fill(epoch, -1);
    }

    /** Counts a request; the reason to trip when the window is now over the limit. */
    synchronized Optional<String> add(long nowMillis, boolean denied) {
      long e = nowMillis / bucketMillis;
      int i = (int) (e % BUCKETS);
      if (epoch[i] != e) {
        epoch[i] = e;
        requests[i] = 0;
        denies[i] = 0;
      }
      requests[i]++;
      if (denied) {
        denies[i]++;
      }
      if (!denied) {
        return Optional.empty(); // only a deny can push the rate over
      }
      long r = 0;
      long d = 0;
      for (int b = 0; b < BUCKETS; b++) {
        if (epoch[b] > e - BUCKETS) {
          r += requests[b];
          d += denies[b];
        }
      }
      if (r >= config.minRequests() && (double) d / r > config.maxDenyRate()) {
        return Optional.of(String.format(Locale.ROOT, "deny rate %.2f > %s over %d evaluations in %s",
            (double) d / r, config.maxDenyRate(), r, Duration.ofMillis(bucketMillis * BUCKETS)));
      }
      return Optional.empty();
    }
  }
}
