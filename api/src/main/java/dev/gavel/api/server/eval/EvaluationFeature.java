package dev.gavel.api.server.eval;

import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.store.log.EvaluationLog;
import dev.gavel.store.log.EvaluationStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluations as one feature: the log, the breakers, the meters and the route handlers, wired here and
 * handed to the server's route table. Closing flushes the log.
 */
public final class EvaluationFeature implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluationFeature.class);

    private final EvaluationSettings settings;
    private final EvaluationStore log;
    private final Breakers breakers;
    private final EvaluateRoutes evaluate;
    private final EvaluationQueries queries;
    private final AttentionRoutes attention;
    private final PromotionReadiness promotion;
    private final PolicyAnnotations annotations;

    public EvaluationFeature(SnapshotService snapshots, EvaluationSettings settings, MeterRegistry registry) {
        this(snapshots, settings, registry, Clock.systemUTC());
    }

    public EvaluationFeature(
            SnapshotService snapshots, EvaluationSettings settings, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        EvaluationMetrics metrics = new EvaluationMetrics(registry);
        this.log = settings.store().orElseGet(() -> EvaluationLog.open(settings.log(), metrics));
        metrics.bind(registry, log, snapshots);
        this.breakers = new Breakers(log, clock, metrics::tripped);
        Applicability applicability = new Applicability();
        this.evaluate = new EvaluateRoutes(snapshots, log, breakers, applicability, metrics);
        this.queries = new EvaluationQueries(log);
        this.promotion = new PromotionReadiness(log, clock);
        this.attention = new AttentionRoutes(snapshots, log, breakers, clock, promotion);
        this.annotations = new AnnotationsFromLog(log, breakers, clock, snapshots);
    }

    public EvaluateRoutes evaluate() {
        return evaluate;
    }

    public EvaluationQueries queries() {
        return queries;
    }

    /** Promotion readiness by each policy's rule (attention and the faces show it). */
    public PromotionReadiness promotion() {
        return promotion;
    }

    public AttentionRoutes attention() {
        return attention;
    }

    public PolicyAnnotations annotations() {
        return annotations;
    }

    /** The evaluation store: the SQLite log, or the store the settings gave. */
    public EvaluationStore log() {
        return log;
    }

    public Breakers breakers() {
        return breakers;
    }

    /** Writes every queued row, closes the database, removes a temporary log. */
    @Override
    public void close() {
        log.close();
        settings.temporaryDirectory().ifPresent(EvaluationFeature::deleteTree);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
