package dev.gavel.api.server.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.server.Json;
import dev.gavel.api.server.SnapshotService;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.log.BreakerState;
import dev.gavel.store.log.EvaluationLog;
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

  private final EvaluationLog log;
  private final Breakers breakers;
  private final Clock clock;
  private final SnapshotService snapshots;

  AnnotationsFromLog(EvaluationLog log, Breakers breakers, Clock clock, SnapshotService snapshots) {
    this.snapshots = snapshots;
    this.log = log;
    this.breakers = breakers;
    this.clock = clock;
  }

  @Override
  public Annotator begin() {
    Optional<PolicySnapshot> snap = snapshots.current();
    java.time.Instant now = clock.instant();
    return (node, definedAt, name) -> {
      PolicyKey key = new PolicyKey(name, definedAt.dotted());
      node.set("usage", usageJson(usage(key, now)));
      boolean configured = snap.flatMap(s -> s.policies().definition(definedAt, name))
          .map(d -> d.policy().spec().circuitBreaker().isPresent()).orElse(false);
      node.set("circuitBreaker", breakerJson(breakers.openState(key), configured));
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

  static ObjectNode usageJson(PolicyUsage u) {
    ObjectNode n = Json.object();
    n.set("last24h", counts(u.last24h()));
    n.set("last7d", counts(u.last7d()));
    return n;
  }

  private static ObjectNode counts(PolicyUsage.Counts c) {
    ObjectNode n = Json.object();
    n.put("evaluations", c.evaluations());
    n.put("denies", c.denies());
    n.put("warns", c.warns());
    return n;
  }

  /** {@code {configured, state: open|closed, openedAt?, reason?}}. */
  static ObjectNode breakerJson(Optional<BreakerState> s, boolean configured) {
    ObjectNode n = Json.object();
    n.put("configured", configured);
    boolean open = s.map(BreakerState::open).orElse(false);
    n.put("state", open ? "open" : "closed");
    if (open) {
      n.put("openedAt", s.get().openedAt().map(Object::toString).orElse(null));
      n.put("reason", s.get().reason().orElse(null));
    }
    return n;
  }
}
