package dev.gavel.store.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's one writer: a bounded queue and the thread that drains it. The thread takes whatever is queued
 * (up to {@code maxBatch} entries) and commits it as one transaction: evaluation rows with their matches and
 * applied sets ({@link AppliedSets}), the hourly usage roll-up and the {@code set_resource} summary, so
 * every table agrees after a crash. A batch that fails is retried (bounded; then its rows are counted
 * lost). Between batches the thread runs retention chunks. Appends wait (bounded, counted) for queue space
 * and, with batch durability, while the writer is more than {@code maxLag} behind ({@link WriterLag}).
 *
 * <p>It also owns the log's closed flag and the lock that keeps {@link #close()} from racing an append: an
 * append holds the read lock from the closed check to the offer, so no row is accepted after the writer's
 * final drain.
 */
final class LogWriter {
    private static final Logger LOG =
            LoggerFactory.getLogger(EvaluationLog.class); // the log's name, as before the split
    private static final Duration IDLE_POLL = Duration.ofMillis(20);
    /**
     * Default of {@link LogSettings#walResetBytes()}: past this size the writer resets the write-ahead log itself. The Checkpointer's passive checkpoints copy
     * frames but never catch up with a writer that commits without pause, and SQLite restarts the WAL only
     * after a checkpoint that caught up: under sustained load the WAL grew by ~100 MB/s (2.9 GB after 25 s at
     * 2,000 evaluations/s, BENCHMARKS.md "The evaluation log's write cost") until the disk filled. A reset
     * stalls the writer for about as long as it copies (~100 ms at 64 MiB, ~50 ms at 16 MiB, measured), and a
     * stall past the 50 ms lag bound makes evaluations wait: 16 MiB keeps it near the bound.
     */
    static final long WAL_RESET_BYTES = 16L << 20;

    /**
     * Default of {@link LogSettings#walCheckpointEvery()}: the writer's own checkpoints ({@link #checkpointIfDue()}).
     * Under HTTP load at 1,000 policies, every 10 or 30 ms gave a p99 of 28-31 ms against 62-67 ms with resets alone,
     * every 100 ms 38-49 ms (BENCHMARKS.md, issue 12, ninth pass).
     */
    static final Duration WAL_CHECKPOINT_EVERY = Duration.ofMillis(25);

    private static final long WAL_CHECK_EVERY_NANOS = Duration.ofMillis(50).toNanos(); // a stat() call
    private static final Duration CHECKPOINT_EVERY = Duration.ofMillis(500);

    private final LogSettings settings;
    private final BatchListener listener;
    private final BlockingQueue<Entry> queue;
    private final WriterLag lag;
    private final Checkpointer checkpointer;
    private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
    private final AtomicLong backPressureWaits = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final AtomicLong rowsLost = new AtomicLong();
    /** Attempts per batch before its rows are given up on; read per failure, so tests can lower it live. */
    private final IntSupplier maxWriteAttempts;
    /** The writer's last error while it cannot commit; null while writes succeed. */
    private volatile String failing;

    private final Connection writer;
    private final AppliedSets appliedSets; // writer thread only
    private final Thread writerThread;
    private final RetentionPass retention;
    private volatile boolean closed;
    private final boolean readOnly;
    private volatile boolean stopping;
    private long nextSeq; // writer thread only (after the constructor)
    private long walCheckedAt = System.nanoTime(); // writer thread only
    private final AtomicLong walResets = new AtomicLong();
    private final AtomicLong writerCheckpoints = new AtomicLong();
    private long checkpointedAt = System.nanoTime(); // writer thread only

    /** A queued row or task; {@code queuedAt} is {@link System#nanoTime()} when it was queued. */
    private sealed interface Entry permits Row, Task {
        long queuedAt();
    }

    private record Row(EvaluationRecord record, CompletableFuture<Void> committed, long queuedAt) implements Entry {}

    private record Task(SqlWork work, CompletableFuture<Void> done, long queuedAt) implements Entry {}

    @FunctionalInterface
    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    /** Opens the writer's connection, creates or migrates the schema; {@link #start()} starts the thread. */
    LogWriter(LogSettings settings, BatchListener listener, IntSupplier maxWriteAttempts) throws SQLException {
        this.settings = settings;
        this.listener = listener;
        this.maxWriteAttempts = maxWriteAttempts;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.readOnly = false;
        this.writer = LogConnection.open(settings, false);
        LogSchema.create(writer);
        try (Statement s = writer.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM evaluation")) {
                nextSeq = rs.getLong(1) + 1;
            }
        }
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = 0"); // the Checkpointer copies the WAL, off the writer's commits
        }
        writer.setAutoCommit(false);
        this.appliedSets = new AppliedSets(writer);
        this.lag = new WriterLag(settings.durability() == Durability.BATCH ? settings.maxLag() : Duration.ZERO);
        this.checkpointer = new Checkpointer(settings.file(), CHECKPOINT_EVERY);
        this.retention = new RetentionPass(settings, writer, appliedSets, this::closed);
        this.writerThread = new Thread(this::runWriter, "gavel-evaluation-log");
        // Daemon: an exit without close() must not hang on this thread; close() (shutdown hooks) flushes.
        writerThread.setDaemon(true);
    }

    /** The writer of a read-only log: nothing is ever queued; every write refuses. */
    private LogWriter(LogSettings settings) {
        this.settings = settings;
        this.listener = BatchListener.NONE;
        this.maxWriteAttempts = () -> 0;
        this.queue = new ArrayBlockingQueue<>(1);
        this.lag = new WriterLag(Duration.ZERO);
        this.checkpointer = null;
        this.writer = null;
        this.appliedSets = null;
        this.writerThread = null;
        this.retention = null;
        this.readOnly = true;
    }

    static LogWriter readOnly(LogSettings settings) {
        return new LogWriter(settings);
    }

    void start() {
        writerThread.start();
    }

    /**
     * Queues one evaluation. Waits for queue space at most {@code appendWait} (each wait is counted); with
     * {@link Durability#SYNC} also waits until the row is committed.
     *
     * @throws LogUnavailableException when the log is closed or stayed full for the whole wait: the caller
     *     must not answer the evaluation as if it were logged
     */
    void append(EvaluationRecord record) {
        CompletableFuture<Void> committed = settings.durability() == Durability.SYNC ? new CompletableFuture<>() : null;
        enqueue(new Row(record, committed, System.nanoTime()));
        if (committed != null) {
            await(committed, "the row was not committed");
        }
    }

    private long queueHeadQueuedAt() {
        Entry head = queue.peek();
        return head == null ? WriterLag.NONE : head.queuedAt();
    }

    private void enqueue(Entry e) {
        // The read lock keeps close() from completing between the closed check and the offer, so no row is
        // accepted after the writer's final drain.
        if (readOnly) {
            throw new IllegalStateException("the evaluation log was opened read-only");
        }
        closing.readLock().lock();
        try {
            if (closed) {
                throw new LogUnavailableException("the evaluation log is closed");
            }
            String error = failing;
            if (error != null && e instanceof Row) {
                // While the writer cannot commit, no new row is taken (so none is acknowledged and then lost).
                throw new LogUnavailableException("the evaluation log cannot write: " + error);
            }
            long deadline = System.nanoTime() + settings.appendWait().toNanos();
            if (e instanceof Row && !lag.within(this::queueHeadQueuedAt)) {
                backPressureWaits.incrementAndGet();
                if (!lag.awaitWithin(this::queueHeadQueuedAt, deadline)) {
                    throw new LogUnavailableException(
                            "the evaluation log's writer stayed more than " + settings.maxLag() + " behind for "
                                    + settings.appendWait() + "; the disk is slower than the load");
                }
            }
            if (queue.offer(e)) {
                return;
            }
            backPressureWaits.incrementAndGet();
            if (!queue.offer(e, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new LogUnavailableException("the evaluation log's queue stayed full for " + settings.appendWait()
                        + "; the disk is slower than the load");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new LogUnavailableException("interrupted while waiting for the evaluation log");
        } finally {
            closing.readLock().unlock();
        }
    }

    private void await(CompletableFuture<?> f, String what) {
        try {
            f.get(Math.max(30_000, settings.appendWait().toMillis() * 4), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailableException(what + ": interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new LogUnavailableException(what + ": " + e, e);
        }
    }

    /** Attempts per batch before its rows are given up on (about 30 s of back-off). */
    private void runWriter() {
        List<Entry> batch = new ArrayList<>(settings.maxBatch());
        while (true) {
            Entry first;
            try {
                first = queue.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                first = null; // close() interrupts nothing; keep draining
            }
            if (first != null) {
                lag.batchStarted(first.queuedAt());
                batch.add(first);
                queue.drainTo(batch, settings.maxBatch() - 1);
                try {
                    write(batch);
                } finally {
                    lag.batchEnded();
                }
                batch.clear();
                checkpointIfDue();
                if (System.nanoTime() - walCheckedAt >= WAL_CHECK_EVERY_NANOS) {
                    walCheckedAt = System.nanoTime();
                    resetWalIfLarge();
                }
            } else if (stopping && queue.isEmpty()) {
                break;
            }
            if (!stopping) {
                retention.step();
            }
        }
        retention.failWaiters();
    }

    /**
     * Every {@link LogSettings#walCheckpointEvery()} of writing, a passive checkpoint on the writer's own connection, between
     * batches. With no commit running beside it, it copies every frame, and the next transaction starts the WAL over
     * from its beginning, in place. The {@link Checkpointer}'s checkpoints, beside a writer that never pauses, never
     * finish, so under load the WAL grew until {@link #resetWalIfLarge()} stalled the writer for 30-90 ms, past the lag
     * bound (BENCHMARKS.md, issue 12, ninth pass); this one copies a few milliseconds' frames at a time.
     */
    private void checkpointIfDue() {
        long now = System.nanoTime();
        if (settings.walCheckpointEvery().isZero()
                || now - checkpointedAt < settings.walCheckpointEvery().toNanos()) {
            return;
        }
        checkpointedAt = now;
        try {
            checkpoint("PASSIVE");
            writerCheckpoints.incrementAndGet();
        } catch (SQLException e) {
            LOG.debug("evaluation log: writer checkpoint failed (tried again later): {}", e.toString());
        }
    }

    /**
     * Between batches, on the writer's own connection (so no writer can be in the way): a TRUNCATE checkpoint
     * copies what the passive ones have not (little: they run every 500 ms) and empties the WAL file. It
     * waits for readers on older snapshots (the connection's busy timeout); a failure only leaves the WAL as it was.
     */
    private void resetWalIfLarge() {
        Path wal = Path.of(settings.file().toAbsolutePath() + "-wal");
        try {
            if (!Files.exists(wal) || Files.size(wal) < settings.walResetBytes()) {
                return;
            }
            checkpoint("TRUNCATE");
            walResets.incrementAndGet();
        } catch (SQLException | java.io.IOException e) {
            LOG.debug("evaluation log: WAL reset failed (tried again later): {}", e.toString());
        }
    }

    /** A checkpoint of {@code mode} on the writer's connection, between batches (writer thread only). */
    private void checkpoint(String mode) throws SQLException {
        writer.setAutoCommit(true); // a checkpoint cannot run inside the driver's open transaction
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(" + mode + ")");
        } finally {
            writer.setAutoCommit(false);
        }
    }

    /** Checkpoints the writer ran between batches ({@link LogSettings#walCheckpointEvery()}). */
    long writerCheckpoints() {
        return writerCheckpoints.get();
    }

    /** WAL resets the writer made ({@link LogSettings#walResetBytes()}). */
    long walResets() {
        return walResets.get();
    }

    private void write(List<Entry> batch) {
        long start = System.nanoTime();
        if (!settings.writerDelay().isZero()) {
            try {
                Thread.sleep(settings.writerDelay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int rows = 0;
        for (int attempt = 1; ; attempt++) {
            long seqBefore = nextSeq;
            try {
                rows = writeBatch(batch);
                writer.commit();
                break;
            } catch (SQLException | RuntimeException e) {
                nextSeq = seqBefore;
                rollbackQuietly(writer);
                appliedSets.rolledBack();
                writeFailures.incrementAndGet();
                failing = e.toString();
                int maxAttempts = maxWriteAttempts.getAsInt();
                if (attempt >= (stopping ? Math.min(3, maxAttempts) : maxAttempts)) {
                    // Bounded: the rows of this batch are counted as lost and said so, loudly, once.
                    long lost = batch.stream().filter(x -> x instanceof Row).count();
                    rowsLost.addAndGet(lost);
                    LOG.error(
                            "evaluation log: gave up on a batch after {} attempts; {} rows lost: {}",
                            attempt,
                            lost,
                            e.toString());
                    for (Entry x : batch) {
                        CompletableFuture<Void> f = completion(x);
                        if (f != null) {
                            f.completeExceptionally(e);
                        }
                    }
                    return;
                }
                if (attempt == 1) {
                    LOG.warn("evaluation log: a batch of {} entries failed, retrying: {}", batch.size(), e.toString());
                }
                sleepQuietly(Math.min(1000, 50L * attempt));
            }
        }
        if (failing != null) {
            LOG.info("evaluation log: writing again");
            failing = null;
        }
        rowsWritten.addAndGet(rows);
        batches.incrementAndGet();
        for (Entry e : batch) {
            CompletableFuture<Void> f = completion(e);
            if (f != null) {
                f.complete(null);
            }
        }
        listener.committed(rows, System.nanoTime() - start);
    }

    private static CompletableFuture<Void> completion(Entry e) {
        if (e instanceof Row r) {
            return r.committed();
        }
        return ((Task) e).done();
    }

    private int writeBatch(List<Entry> batch) throws SQLException {
        int rows = 0;
        UsageRollup.Batch usage = new UsageRollup.Batch();
        ResourceUsage.Batch resources = new ResourceUsage.Batch();
        try (PreparedStatement ev = writer.prepareStatement(
                        "INSERT INTO evaluation(seq, id, time, scope, tenant, resource_type, action, decision, commit_id,"
                                + " duration_micros, request, applied_set) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
                PreparedStatement m = writer.prepareStatement(
                        "INSERT INTO evaluation_match(evaluation_seq, ordinal, policy, defined_at, enforcement, effect, rule,"
                                + " message, time, first_of_policy) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            for (Entry e : batch) {
                if (e instanceof Task t) {
                    flush(ev, m);
                    t.work().run(writer);
                    continue;
                }
                EvaluationRecord r = ((Row) e).record();
                long seq = nextSeq++;
                long micros = LogTimes.micros(r.time());
                ev.setLong(1, seq);
                ev.setString(2, r.id());
                ev.setLong(3, micros);
                ev.setString(4, r.scope());
                ev.setString(5, r.tenant());
                ev.setString(6, r.resourceType());
                ev.setString(7, r.action());
                ev.setString(8, r.decision());
                ev.setString(9, r.commit());
                ev.setLong(10, r.durationMicros());
                ev.setString(11, r.requestJson());
                List<PolicyKey> appliedKeys = AppliedSets.of(r);
                Long appliedSet = appliedSets.idOf(appliedKeys);
                if (appliedSet == null) {
                    ev.setNull(12, java.sql.Types.INTEGER);
                } else {
                    ev.setLong(12, appliedSet);
                }
                ev.addBatch();
                java.util.Set<PolicyKey> seen = new java.util.HashSet<>();
                int ordinal = 0;
                for (LoggedMatch x : r.matches()) {
                    m.setLong(1, seq);
                    m.setInt(2, ordinal++);
                    m.setString(3, x.policy());
                    m.setString(4, x.definedAt());
                    m.setString(5, x.enforcement());
                    m.setString(6, x.effect());
                    m.setString(7, x.rule());
                    m.setString(8, x.message());
                    m.setLong(9, micros);
                    m.setInt(10, seen.add(x.key()) ? 1 : 0);
                    m.addBatch();
                }
                usage.add(r, appliedKeys);
                resources.add(r, appliedSet, micros);
                rows++;
            }
            flush(ev, m);
        }
        usage.write(writer);
        resources.write(writer);
        return rows;
    }

    private static void flush(PreparedStatement ev, PreparedStatement m) throws SQLException {
        ev.executeBatch();
        m.executeBatch();
    }

    static void rollbackQuietly(Connection writer) {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.toString());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs SQL on the writer thread, between batches, and waits for its commit. */
    void onWriter(SqlWork work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Task(work, done, System.nanoTime()));
        await(done, "the evaluation log did not apply the change");
    }

    /** Waits until every row appended before this call is committed. */
    void flush() {
        onWriter(c -> {});
    }

    /** Runs a retention pass over every row appended before the call, and waits for it; rows deleted. */
    long purgeExpired() {
        flush(); // the pass covers every row appended before the call
        return retention.awaitPass();
    }

    // ---- state

    boolean closed() {
        return closed;
    }

    int queueDepth() {
        return queue.size();
    }

    long backPressureWaits() {
        return backPressureWaits.get();
    }

    long rowsWritten() {
        return rowsWritten.get();
    }

    long batchesWritten() {
        return batches.get();
    }

    long writeFailures() {
        return writeFailures.get();
    }

    long rowsLost() {
        return rowsLost.get();
    }

    String failing() {
        return failing;
    }

    Duration lag() {
        return Duration.ofNanos(lag.nanos(this::queueHeadQueuedAt));
    }

    long checkpoints() {
        return checkpointer == null ? 0 : checkpointer.checkpoints();
    }

    long rowsDeleted() {
        return retention == null ? 0 : retention.rowsDeleted();
    }

    /**
     * Stops taking entries, lets the thread write every queued one, then closes the connection. Returns
     * false when the log was already closed (the caller then has nothing to release either).
     */
    boolean close() {
        // The write lock waits for appends between their closed check and their offer (they hold the read lock).
        closing.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
        } finally {
            closing.writeLock().unlock();
        }
        stopping = true;
        if (!readOnly) {
            checkpointer.close();
            try {
                writerThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                writer.close();
            } catch (SQLException e) {
                LOG.warn("closing the evaluation log failed: {}", e.toString());
            }
        }
        return true;
    }
}
