package dev.gavel.api.server.eval;

import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.engine.model.Decision;
import dev.gavel.store.log.BatchListener;
import dev.gavel.store.log.EvaluationLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The meters of evaluations and of the log, in the server's one registry. */
final class EvaluationMetrics implements BatchListener {
    private final Map<Decision, Timer> latency = new EnumMap<>(Decision.class);
    private final Map<Decision, Counter> decisions = new EnumMap<>(Decision.class);
    private final Counter rejected;
    private final Counter trips;
    private final Timer logWrite;

    EvaluationMetrics(MeterRegistry registry) {
        for (Decision d : Decision.values()) {
            latency.put(
                    d,
                    Timer.builder("gavel_evaluation_latency")
                            .description("Time to answer an evaluation (read, decide, log), by decision")
                            .tag("decision", d.value())
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofNanos(20_000))
                            .maximumExpectedValue(Duration.ofSeconds(2))
                            .register(registry));
            decisions.put(
                    d,
                    Counter.builder("gavel_evaluations")
                            .description("Evaluations answered, by decision")
                            .tag("decision", d.value())
                            .register(registry));
        }
        rejected = Counter.builder("gavel_evaluations_rejected")
                .description("Evaluate requests refused with 422 (bad or undecidable input)")
                .register(registry);
        trips = Counter.builder("gavel_circuit_breaker_trips")
                .description("Circuit breakers opened")
                .register(registry);
        logWrite = Timer.builder("gavel_evaluation_log_write")
                .description("Time to write one batch of the evaluation log (one transaction)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    /** Meters read from the log and the snapshot service when scraped. */
    void bind(MeterRegistry registry, dev.gavel.store.log.EvaluationStore store, SnapshotService snapshots) {
        bindCommits(registry, snapshots);
        if (store instanceof EvaluationLog log) {
            bindLog(registry, log);
        }
    }

    private static void bindCommits(MeterRegistry registry, SnapshotService snapshots) {
        Gauge.builder(
                        "gavel_served_commit_age_seconds",
                        snapshots,
                        s -> s.status()
                                .servedSince()
                                .map(t -> Duration.between(t, Instant.now()).toMillis() / 1000.0)
                                .orElse(Double.NaN))
                .description("Seconds since the served commit started being served")
                .register(registry);
    }

    /** The SQLite log's own meters (queue, writer, retention). */
    private static void bindLog(MeterRegistry registry, EvaluationLog log) {
        Gauge.builder("gavel_evaluation_log_queue_depth", log, EvaluationLog::queueDepth)
                .description("Rows waiting for the evaluation log's writer")
                .register(registry);
        FunctionCounter.builder("gavel_evaluation_log_backpressure_waits", log, EvaluationLog::backPressureWaits)
                .description(
                        "Evaluations that waited for the log: its queue was full or its writer more than the lag bound behind")
                .register(registry);
        Gauge.builder(
                        "gavel_evaluation_log_writer_lag_seconds",
                        log,
                        l -> l.writerLag().toNanos() / 1e9)
                .description("Age of the oldest row queued and not yet committed (what a crash could lose)")
                .register(registry);
        FunctionCounter.builder("gavel_evaluation_log_rows_written", log, EvaluationLog::rowsWritten)
                .description("Rows committed to the evaluation log")
                .register(registry);
        FunctionCounter.builder("gavel_evaluation_log_write_failures", log, EvaluationLog::writeFailures)
                .description("Failed attempts to commit a batch of the evaluation log (each is retried)")
                .register(registry);
        FunctionCounter.builder("gavel_evaluation_log_rows_lost", log, EvaluationLog::rowsLost)
                .description("Rows given up on after every retry failed (each loss is also logged as an error)")
                .register(registry);
        FunctionCounter.builder("gavel_evaluation_log_wal_resets", log, EvaluationLog::walResets)
                .description("Times the log's writer emptied the write-ahead log (past 16 MiB, under steady load)")
                .register(registry);
        Gauge.builder("gavel_evaluation_log_writing", log, l -> l.failure().isEmpty() ? 1 : 0)
                .description("1 while the evaluation log commits, 0 while its writer fails (evaluations answer 503)")
                .register(registry);
        FunctionCounter.builder("gavel_evaluation_log_rows_deleted", log, EvaluationLog::rowsDeleted)
                .description("Rows deleted by retention")
                .register(registry);
    }

    void answered(Decision d, long nanos) {
        latency.get(d).record(nanos, TimeUnit.NANOSECONDS);
        decisions.get(d).increment();
    }

    void rejected() {
        rejected.increment();
    }

    void tripped() {
        trips.increment();
    }

    @Override
    public void committed(int rows, long nanos) {
        logWrite.record(nanos, TimeUnit.NANOSECONDS);
    }
}
