package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: deletes rows older than {@code settings.retention()} on the writer's connection, in chunks of
 * {@code retentionChunk} rows between batches, so a pass never holds the writer (and the rows queued
 * behind it) for long. {@link #step} runs on the writer thread only; {@link #awaitPass} on any thread.
 */
final class RetentionPass {
    private static final Logger LOG =
            LoggerFactory.getLogger(EvaluationLog.class); // the log's name, as before the split

    private final LogSettings settings;
    private final Connection writer;
    private final AppliedSets appliedSets;
    /** The log's closed flag: a pass requested after close() would never run. */
    private final BooleanSupplier closed;

    private final AtomicLong rowsDeleted = new AtomicLong();
    private final List<CompletableFuture<Long>> purgeWaiters = new ArrayList<>(); // guarded by itself
    // writer thread only
    private boolean retentionActive;
    private long retentionDeletedInPass;
    private long nextRetentionCheck;

    RetentionPass(LogSettings settings, Connection writer, AppliedSets appliedSets, BooleanSupplier closed) {
        this.settings = settings;
        this.writer = writer;
        this.appliedSets = appliedSets;
        this.closed = closed;
        this.nextRetentionCheck = System.nanoTime();
    }

    /** Rows deleted by retention since this log was opened. */
    long rowsDeleted() {
        return rowsDeleted.get();
    }

    /** One chunk of a deletion pass, when one is due: short transactions, so queued rows wait little. */
    void step() {
        boolean requested;
        synchronized (purgeWaiters) {
            requested = !purgeWaiters.isEmpty();
        }
        if (settings.retention().isEmpty()) {
            if (requested) {
                completePurge(0);
            }
            return;
        }
        if (!retentionActive) {
            if (!requested && System.nanoTime() - nextRetentionCheck < 0) {
                return;
            }
            retentionActive = true;
            retentionDeletedInPass = 0;
        }
        long cutoff = LogTimes.micros(Instant.now().minus(settings.retention().get()));
        try {
            List<Long> seqs = new ArrayList<>();
            try (PreparedStatement q =
                    writer.prepareStatement("SELECT seq FROM evaluation WHERE time < ? ORDER BY time LIMIT ?")) {
                q.setLong(1, cutoff);
                q.setInt(2, settings.retentionChunk());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                    }
                }
            }
            if (!seqs.isEmpty()) {
                try (PreparedStatement dm =
                                writer.prepareStatement("DELETE FROM evaluation_match WHERE evaluation_seq = ?");
                        PreparedStatement de = writer.prepareStatement("DELETE FROM evaluation WHERE seq = ?")) {
                    for (long s : seqs) {
                        dm.setLong(1, s);
                        dm.addBatch();
                        de.setLong(1, s);
                        de.addBatch();
                    }
                    dm.executeBatch();
                    de.executeBatch();
                }
            }
            if (seqs.size() < settings.retentionChunk()) {
                try (PreparedStatement du = writer.prepareStatement("DELETE FROM policy_usage WHERE hour < ?")) {
                    du.setLong(1, cutoff / 3_600_000_000L);
                    du.executeUpdate();
                }
                ResourceUsage.purge(writer, cutoff);
                appliedSets.deleteOrphans();
            }
            writer.commit();
            retentionDeletedInPass += seqs.size();
            rowsDeleted.addAndGet(seqs.size());
            if (seqs.size() < settings.retentionChunk()) {
                retentionActive = false;
                nextRetentionCheck =
                        System.nanoTime() + settings.retentionEvery().toNanos();
                if (retentionDeletedInPass > 0) {
                    LOG.info(
                            "evaluation log: retention deleted {} rows older than {}",
                            retentionDeletedInPass,
                            settings.retention().get());
                }
                completePurge(retentionDeletedInPass);
            }
        } catch (SQLException e) {
            LogWriter.rollbackQuietly(writer);
            appliedSets.rolledBack();
            retentionActive = false;
            nextRetentionCheck = System.nanoTime() + settings.retentionEvery().toNanos();
            LOG.warn("evaluation log: retention pass failed: {}", e.toString());
            completePurge(retentionDeletedInPass);
        }
    }

    private void completePurge(long deleted) {
        synchronized (purgeWaiters) {
            purgeWaiters.forEach(f -> f.complete(deleted));
            purgeWaiters.clear();
        }
    }

    void failWaiters() {
        synchronized (purgeWaiters) {
            purgeWaiters.forEach(
                    f -> f.completeExceptionally(new LogUnavailableException("the evaluation log is closed")));
            purgeWaiters.clear();
        }
    }

    /**
     * Asks the writer for a pass now (in chunks, between batches) and waits for it. The closed check is made
     * under the waiters' lock: a waiter added before close() is failed by {@link #failWaiters}, never left.
     *
     * @return rows deleted by the pass
     */
    long awaitPass() {
        CompletableFuture<Long> f = new CompletableFuture<>();
        synchronized (purgeWaiters) {
            if (closed.getAsBoolean()) {
                throw new LogUnavailableException("the evaluation log is closed");
            }
            purgeWaiters.add(f);
        }
        try {
            return f.get(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailableException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new LogUnavailableException("retention pass failed: " + e, e);
        }
    }
}
