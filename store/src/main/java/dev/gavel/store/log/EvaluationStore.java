package dev.gavel.store.log;

import java.util.Optional;

/**
 * Everything a server keeps about evaluations: the sink, the queries and the breakers. {@link EvaluationLog}
 * (SQLite) is the real one; tests may use an in-memory one behind the same routes.
 */
public interface EvaluationStore extends EvaluationSink, EvaluationReader, BreakerStore, AutoCloseable {
    /** The writer's last error while it cannot record; empty while it records. */
    Optional<String> failure();

    /** Returns once everything accepted so far is readable (the log's queue is written). */
    void flush();

    /** Records everything accepted so far, then releases the store. */
    @Override
    void close();
}
