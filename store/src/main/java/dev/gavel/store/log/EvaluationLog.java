package dev.gavel.store.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluation log: an SQLite database in WAL mode with one writer thread. {@link #append} puts a row on
 * a bounded queue; the writer takes whatever is queued (up to {@code maxBatch} rows) and commits it as one
 * transaction, so batches grow with the load and a row waits at most for the transaction in progress.
 * When the queue is full, {@code append} waits (bounded, counted) instead of dropping the row. Readers use
 * their own connections: in WAL mode they never block the writer. Retention deletes old rows in small
 * chunks between batches. {@link #close()} writes every queued row before returning.
 *
 * <p>This class is the log's one public face; the work is done by {@link LogWriter} (queue, batches,
 * back-pressure, the closing lock), {@link RetentionPass}, {@link LogQueries}, {@link BreakerTable} and
 * {@link ReaderPool}.
 */
public final class EvaluationLog implements EvaluationStore {
    /** Attempts per batch before its rows are given up on (about 30 s of back-off). */
    static final int MAX_WRITE_ATTEMPTS = 40;
    /** {@link #MAX_WRITE_ATTEMPTS}; tests of this package lower it. */
    volatile int maxWriteAttempts = MAX_WRITE_ATTEMPTS;

    private final LogSettings settings;
    private final LogWriter writer;
    private final ReaderPool readers;
    private final LogQueries queries;

    private EvaluationLog(LogSettings settings, BatchListener listener) throws SQLException {
        this.settings = settings;
        this.writer = new LogWriter(settings, listener, () -> maxWriteAttempts);
        this.readers = new ReaderPool(settings, writer::closed);
        this.queries = new LogQueries(readers);
    }

    /** A read-only log: no writer, no schema changes; {@link #append} and the other writes refuse. */
    private EvaluationLog(LogSettings settings) {
        this.settings = settings;
        this.writer = LogWriter.readOnly(settings);
        this.readers = new ReaderPool(settings, writer::closed);
        this.queries = new LogQueries(readers);
    }

    /**
     * Opens an existing log file for reading only, e.g. one a running server is writing (WAL: reading never
     * blocks its writer) or a copy of one. Used to replay logged requests.
     *
     * @throws LogUnavailableException when the file does not exist or is not a Gavel evaluation log
     */
    public static EvaluationLog openReadOnly(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LogUnavailableException("no evaluation log at " + file + " (not a file)");
        }
        EvaluationLog log = new EvaluationLog(LogSettings.defaults(file));
        try {
            long tables = log.readers.read(c -> {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                + " AND name IN ('evaluation', 'evaluation_match')")) {
                    return rs.getLong(1);
                }
            });
            if (tables != 2) {
                throw new LogUnavailableException(file + " is an SQLite database but not a Gavel evaluation log");
            }
        } catch (LogUnavailableException e) {
            log.close();
            if (e.getMessage().contains("not a Gavel evaluation log")) {
                throw e;
            }
            throw new LogUnavailableException(file + " is not a Gavel evaluation log (" + e.getMessage() + ")", e);
        }
        return log;
    }

    /** Opens (creating when needed) the log at {@code settings.file()} and starts its writer. */
    public static EvaluationLog open(LogSettings settings) {
        return open(settings, BatchListener.NONE);
    }

    public static EvaluationLog open(LogSettings settings, BatchListener listener) {
        try {
            Path parent = settings.file().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            EvaluationLog log = new EvaluationLog(settings, listener);
            log.writer.start();
            return log;
        } catch (SQLException | java.io.IOException e) {
            throw new LogUnavailableException(
                    "cannot open the evaluation log " + settings.file() + ": " + e.getMessage(), e);
        }
    }

    public LogSettings settings() {
        return settings;
    }

    // ---- writing

    /**
     * Queues one evaluation. Waits for queue space at most {@code appendWait} (each wait is counted); with
     * {@link Durability#SYNC} also waits until the row is committed.
     *
     * @throws LogUnavailableException when the log is closed or stayed full for the whole wait: the caller
     *     must not answer the evaluation as if it were logged
     */
    @Override
    public void append(EvaluationRecord record) {
        writer.append(record);
    }

    /** Waits until every row appended before this call is committed. */
    @Override
    public void flush() {
        writer.flush();
    }

    /**
     * Runs a retention pass now (in chunks, between batches) over every row appended before the call, and
     * waits for it.
     *
     * @return rows deleted by the pass
     */
    public long purgeExpired() {
        return writer.purgeExpired();
    }

    // ---- circuit breakers

    /** Records a breaker's state (replacing the previous one) and waits until it is committed. */
    @Override
    public void saveBreaker(BreakerState s) {
        writer.onWriter(c -> BreakerTable.save(c, s));
    }

    /** Every breaker state recorded. */
    @Override
    public List<BreakerState> breakers() {
        return readers.read(BreakerTable::all);
    }

    // ---- reading

    /** Rows in the log (committed ones). */
    public long count() {
        return queries.count();
    }

    /** One evaluation by its public id. */
    @Override
    public Optional<EvaluationRecord> find(String id) {
        return queries.find(id);
    }

    /**
     * Evaluations matching the filter, newest first, at most {@code limit}, after {@code cursor} (from a
     * previous page's {@code nextCursor}). Keyset pagination on (time, seq): any page costs the same.
     *
     * @throws IllegalArgumentException for a cursor this log did not issue
     */
    @Override
    public EvaluationPage list(EvaluationFilter f, Optional<String> cursor, int limit) {
        return queries.list(f, cursor, limit);
    }

    /** SQLite's plan for a page of {@link #list}: tests check that no page sorts (a sort costs every row in range). */
    String listPlan(EvaluationFilter f, Optional<String> cursor, int limit) {
        return queries.listPlan(f, cursor, limit);
    }

    /** Evaluations in which one policy definition matched, newest first, by page (1-based). */
    @Override
    public PolicyEvaluationPage policyEvaluations(PolicyKey key, int page, int pageSize) {
        return queries.policyEvaluations(key, page, pageSize);
    }

    /**
     * Evaluations that applied one policy definition, passes included, newest first, by page (1-based).
     * An item's match is the policy's first matching rule, or null when the policy passed.
     */
    @Override
    public PolicyEvaluationPage appliedEvaluations(PolicyKey key, int page, int pageSize) {
        return queries.appliedEvaluations(key, page, pageSize);
    }

    /** Usage of every policy definition seen in the last 7 days, counted by hour. */
    @Override
    public Map<PolicyKey, PolicyUsage> usage(Instant now) {
        return queries.usage(now);
    }

    /**
     * Usage of one policy definition, read through the roll-up's primary key: what a policy read
     * needs, without summing every policy's roll-ups as {@link #usage(Instant)} does.
     */
    @Override
    public PolicyUsage usage(PolicyKey key, Instant now) {
        return queries.usage(key, now);
    }

    /**
     * Distinct resources by type that each definition applied to in evaluations at or after {@code since}, read
     * from the {@code policy_resource} summary (no scan of the log); a definition without any counts as
     * {@link ResourceCounts#NONE}.
     */
    @Override
    public Map<PolicyKey, ResourceCounts> resourcesUsed(Collection<PolicyKey> keys, Instant since) {
        return queries.resourcesUsed(keys, since);
    }

    // ---- state and shutdown

    /** Rows waiting for the writer. */
    public int queueDepth() {
        return writer.queueDepth();
    }

    /** Appends that found the queue full and had to wait. */
    public long backPressureWaits() {
        return writer.backPressureWaits();
    }

    /** Rows committed since this log was opened. */
    public long rowsWritten() {
        return writer.rowsWritten();
    }

    public long batchesWritten() {
        return writer.batchesWritten();
    }

    /** Failed attempts to commit a batch (each retried, at most {@link #MAX_WRITE_ATTEMPTS} times). */
    public long writeFailures() {
        return writer.writeFailures();
    }

    /** Checkpoints the writer ran itself between batches ({@link LogSettings#walCheckpointEvery()}). */
    public long writerCheckpoints() {
        return writer.writerCheckpoints();
    }

    /** Times the writer emptied the write-ahead log past {@link LogSettings#walResetBytes()}. */
    public long walResets() {
        return writer.walResets();
    }

    /** Rows given up on after {@link #MAX_WRITE_ATTEMPTS} failed commits: each also logged as an error. */
    public long rowsLost() {
        return writer.rowsLost();
    }

    /** The writer's last error while it cannot commit; empty while the log is writing. */
    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(writer.failing());
    }

    /** The writer's lag now: the age of the oldest row queued and not yet committed. */
    public Duration writerLag() {
        return writer.lag();
    }

    /** Passive checkpoints of the write-ahead log run so far (off the writer's thread). */
    public long checkpoints() {
        return writer.checkpoints();
    }

    /** Rows deleted by retention since this log was opened. */
    public long rowsDeleted() {
        return writer.rowsDeleted();
    }

    /** Stops taking rows, writes every queued one, then closes the database. */
    @Override
    public void close() {
        if (writer.close()) {
            readers.close(); // after the writer: a reader given back meanwhile is closed, as the log is closed
        }
    }
}
