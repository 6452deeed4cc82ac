package dev.gavel.api.snapshot;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/** Convergence gauges of a replica that follows a remote (absent values read as NaN, which Prometheus accepts). */
final class FleetMetrics {
    private FleetMetrics() {}

    static void register(SnapshotService snapshots, MeterRegistry metrics) {
        gauge(
                metrics,
                snapshots,
                "gavel_fleet_lag_commits",
                "Commits on the remote branch after the served one",
                f -> f.lagCommits());
        gauge(
                metrics,
                snapshots,
                "gavel_fleet_lag_seconds",
                "How long the branch head has been ahead of the served commit",
                f -> seconds(f.lag()));
        gauge(
                metrics,
                snapshots,
                "gavel_fleet_last_fetch_age_seconds",
                "Seconds since the last successful fetch",
                f -> f.sinceFetch().map(FleetMetrics::seconds).orElse(Double.NaN));
        gauge(
                metrics,
                snapshots,
                "gavel_fleet_remote_reachable",
                "1 while the remote answers, else 0",
                f -> f.remote().reachable() ? 1 : 0);
        gauge(
                metrics,
                snapshots,
                "gavel_fleet_stale",
                "1 past --max-staleness without a successful fetch",
                f -> f.stale() ? 1 : 0);
    }

    private static void gauge(
            MeterRegistry metrics,
            SnapshotService snapshots,
            String name,
            String help,
            ToDoubleFunction<SnapshotService.Fleet> value) {
        Gauge.builder(
                        name,
                        snapshots,
                        s -> s.status().fleet().map(value::applyAsDouble).orElse(Double.NaN))
                .description(help)
                .register(metrics);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
