package dev.gavel.api.server.eval;

import dev.gavel.api.http.Caller;
import dev.gavel.api.http.Json;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.Evaluations;
import dev.gavel.api.wire.Evaluations.AttentionItem;
import dev.gavel.engine.model.CircuitBreaker;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.log.BreakerState;
import dev.gavel.store.log.EvaluationReader;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.store.log.PolicyKey;
import dev.gavel.store.log.PolicyUsage;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /attention}: what needs a person. Items, each with a {@code kind}: {@code review-overdue},
 * {@code circuit-breaker-open}, {@code head-does-not-compile}, {@code ready-to-promote} (a warn or audit
 * policy that ran in the last 7 days and would have denied nothing) and {@code denies-over-breaker-limit}
 * (a warn or audit policy whose 7-day deny rate is over its breaker's limit: promoting it would trip it).
 */
public final class AttentionRoutes {
    private final SnapshotService snapshots;
    private final EvaluationReader log;
    private final Breakers breakers;
    private final Clock clock;
    private final PromotionReadiness promotion;

    AttentionRoutes(
            SnapshotService snapshots,
            EvaluationReader log,
            Breakers breakers,
            Clock clock,
            PromotionReadiness promotion) {
        this.snapshots = snapshots;
        this.log = log;
        this.breakers = breakers;
        this.clock = clock;
        this.promotion = promotion;
    }

    public void attention(Context ctx) {
        Caller caller = Caller.of(ctx);
        List<AttentionItem> items = new ArrayList<>();
        SnapshotService.Status status = snapshots.status();
        if (status.newestCompiled().isPresent() && !status.newestCompiled().get()) {
            List<String> errors = new ArrayList<>();
            for (Diagnostic d : status.newestDiagnostics()) {
                if (d.isError() && (d.file().isEmpty() || caller.canSeeFile(d.file()))) {
                    errors.add(d.format());
                }
            }
            items.add(AttentionItem.headDoesNotCompile(status.newest(), status.served(), errors));
        }
        for (BreakerState s : breakers.allOpen()) {
            ScopePath scope = ScopePath.parse(s.key().definedAt());
            if (!caller.canSee(scope)) {
                continue;
            }
            items.add(AttentionItem.breakerOpen(scope.dotted(), s.key().policy(), s.openedAt(), s.reason()));
        }
        Optional<PolicySnapshot> snap = snapshots.current();
        if (snap.isPresent()) {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            Instant now = clock.instant();
            for (PolicyDefinition d : snap.get().policies().all()) {
                if (!caller.canSee(d.scope())) {
                    continue;
                }
                Policy p = d.policy();
                if (p.metadata().isDeleted()) {
                    continue; // soft-deleted: kept for the record, needs nobody
                }
                if (p.metadata().isReviewOverdue(today)) {
                    items.add(AttentionItem.reviewOverdue(
                            d.scope().dotted(),
                            d.name(),
                            d.file(),
                            p.metadata().nextReview(),
                            p.metadata().owner()));
                }
                Enforcement e = p.spec().enforcement();
                if (p.spec().status() != Status.ACTIVE || (e != Enforcement.WARN && e != Enforcement.AUDIT)) {
                    continue;
                }
                // Only warn and audit policies need their usage: read each by the roll-up's key (0.04 ms at 1 M rows)
                // rather than every policy's at once (107 ms at 1 M rows, 389 ms at 10 M; BENCHMARKS.md).
                PolicyUsage.Counts week = usageOf(
                                new PolicyKey(d.name(), d.scope().dotted()), now)
                        .last7d();
                Optional<CircuitBreaker> cb = p.spec().circuitBreaker();
                Evaluations.Promotion readiness = promotion.of(
                        d,
                        snap.get()
                                .resolver()
                                .variant(d)
                                .map(dev.gavel.engine.resolve.ResolvedPolicy::policy)
                                .orElse(p));
                if (readiness.ready()) {
                    items.add(
                            AttentionItem.readyToPromote(d.scope().dotted(), d.name(), d.file(), e.value(), readiness));
                } else if (cb.isPresent()
                        && week.evaluations() >= cb.get().minRequests()
                        && (double) week.denies() / week.evaluations()
                                > cb.get().maxDenyRate()) {
                    items.add(AttentionItem.deniesOverBreakerLimit(
                            d.scope().dotted(),
                            d.name(),
                            d.file(),
                            e.value(),
                            week.evaluations(),
                            week.denies(),
                            Double.parseDouble(
                                    String.format(Locale.ROOT, "%.4f", (double) week.denies() / week.evaluations())),
                            cb.get().maxDenyRate()));
                }
            }
        }
        Json.ok(ctx, new Evaluations.Attention(items.size(), items));
    }

    private PolicyUsage usageOf(PolicyKey key, Instant now) {
        try {
            return log.usage(key, now);
        } catch (LogUnavailableException e) {
            return PolicyUsage.NONE;
        }
    }
}
