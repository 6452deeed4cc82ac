package dev.gavel.api.server.eval;

import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.CircuitBreaker;
import dev.gavel.api.wire.Usage;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.log.BreakerState;
import dev.gavel.store.log.EvaluationReader;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.store.log.PolicyKey;
import dev.gavel.store.log.PolicyUsage;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link PolicyAnnotations} from the log's usage roll-ups and the breakers. */
final class AnnotationsFromLog implements PolicyAnnotations {
    private static final Logger LOG = LoggerFactory.getLogger(AnnotationsFromLog.class);

    private final EvaluationReader log;
    private final Breakers breakers;
    private final Clock clock;
    private final SnapshotService snapshots;

    AnnotationsFromLog(EvaluationReader log, Breakers breakers, Clock clock, SnapshotService snapshots) {
        this.snapshots = snapshots;
        this.log = log;
        this.breakers = breakers;
        this.clock = clock;
    }

    @Override
    public Annotator begin() {
        Optional<PolicySnapshot> snap = snapshots.current();
        java.time.Instant now = clock.instant();
        return (definedAt, name) -> {
            PolicyKey key = new PolicyKey(name, definedAt.dotted());
            boolean configured = snap.flatMap(s -> s.policies().definition(definedAt, name))
                    .map(d -> d.policy().spec().circuitBreaker().isPresent())
                    .orElse(false);
            return new Annotation(usageBody(usage(key, now)), breakerBody(breakers.openState(key), configured));
        };
    }

    /** One policy's usage by primary key: a read pays for the policies it shows, not for all of them. */
    private PolicyUsage usage(PolicyKey key, java.time.Instant now) {
        try {
            return log.usage(key, now);
        } catch (LogUnavailableException e) {
            LOG.warn("usage not available: {}", e.getMessage());
            return PolicyUsage.NONE;
        }
    }

    static Usage usageBody(PolicyUsage u) {
        return new Usage(counts(u.last24h()), counts(u.last7d()));
    }

    private static Usage.Counts counts(PolicyUsage.Counts c) {
        return new Usage.Counts(c.evaluations(), c.denies(), c.warns());
    }

    /** {@code {configured, state: open|closed, openedAt?, reason?}}. */
    static CircuitBreaker breakerBody(Optional<BreakerState> s, boolean configured) {
        boolean open = s.map(BreakerState::open).orElse(false);
        if (!open) {
            return new CircuitBreaker(configured, "closed", null, null);
        }
        return new CircuitBreaker(
                configured, "open", s.get().openedAt(), s.get().reason());
    }
}
