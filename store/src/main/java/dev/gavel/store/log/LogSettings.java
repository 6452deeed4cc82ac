package dev.gavel.store.log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the log is kept.
 *
 * @param queueCapacity rows waiting for the writer; past it {@link EvaluationLog#append} waits
 * @param maxBatch most rows per transaction
 * @param appendWait how long an append waits for queue space before giving up (back-pressure bound)
 * @param retention rows older than this are deleted; empty keeps everything
 * @param retentionEvery how often a deletion pass starts
 * @param retentionChunk rows deleted per transaction, so a pass never stalls writes for long
 * @param writerDelay test hook: the writer sleeps this long before each batch (a deliberately slow disk)
 * @param maxLag with batch durability, appends wait while the oldest uncommitted row is older than this
 *     (bounds the rows a crash can lose in time); zero turns the bound off (the queue's length only)
 * @param walResetBytes past this size the writer empties the write-ahead log between batches (keeps it bounded
 *     under a load that never pauses; see {@code LogWriter.WAL_RESET_BYTES})
 * @param walCheckpointEvery how often the writer copies the write-ahead log into the database itself, between batches,
 *     so that SQLite starts the WAL over in place (see {@code LogWriter.WAL_CHECKPOINT_EVERY}); zero leaves it to the
 *     background checkpoints and the resets
 */
public record LogSettings(
        Path file,
        Durability durability,
        int queueCapacity,
        int maxBatch,
        Duration appendWait,
        Optional<Duration> retention,
        Duration retentionEvery,
        int retentionChunk,
        Duration writerDelay,
        Duration maxLag,
        long walResetBytes,
        Duration walCheckpointEvery) {

    public static final int DEFAULT_QUEUE = 8_192;
    public static final int DEFAULT_BATCH = 1_000;
    /** The writer's lag bound: a crash loses rows acknowledged within about twice this (docs/evaluations.md). */
    public static final Duration DEFAULT_MAX_LAG = Duration.ofMillis(50);

    public LogSettings {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(durability, "durability");
        if (queueCapacity < 1 || maxBatch < 1 || retentionChunk < 1) {
            throw new IllegalArgumentException("queueCapacity, maxBatch and retentionChunk must be at least 1");
        }
        retention = retention == null ? Optional.empty() : retention;
        Objects.requireNonNull(maxLag, "maxLag");
        if (walResetBytes < 1) {
            throw new IllegalArgumentException("walResetBytes must be positive");
        }
        Objects.requireNonNull(walCheckpointEvery, "walCheckpointEvery");
        if (walCheckpointEvery.isNegative()) {
            throw new IllegalArgumentException("walCheckpointEvery must not be negative");
        }
        if (maxLag.isNegative()) {
            throw new IllegalArgumentException("maxLag must not be negative");
        }
        if (retention.isPresent()
                && (retention.get().isNegative() || retention.get().isZero())) {
            throw new IllegalArgumentException("retention must be positive");
        }
    }

    /** Batch durability, no retention, the default queue and batch sizes. */
    public static LogSettings defaults(Path file) {
        return new LogSettings(
                file,
                Durability.BATCH,
                DEFAULT_QUEUE,
                DEFAULT_BATCH,
                Duration.ofSeconds(5),
                Optional.empty(),
                Duration.ofMinutes(10),
                1_000,
                Duration.ZERO,
                DEFAULT_MAX_LAG,
                LogWriter.WAL_RESET_BYTES,
                LogWriter.WAL_CHECKPOINT_EVERY);
    }

    public LogSettings withDurability(Durability d) {
        return new LogSettings(
                file,
                d,
                queueCapacity,
                maxBatch,
                appendWait,
                retention,
                retentionEvery,
                retentionChunk,
                writerDelay,
                maxLag,
                walResetBytes,
                walCheckpointEvery);
    }

    public LogSettings withRetention(Optional<Duration> r) {
        return new LogSettings(
                file,
                durability,
                queueCapacity,
                maxBatch,
                appendWait,
                r,
                retentionEvery,
                retentionChunk,
                writerDelay,
                maxLag,
                walResetBytes,
                walCheckpointEvery);
    }

    public LogSettings withQueue(int capacity, Duration wait) {
        return new LogSettings(
                file,
                durability,
                capacity,
                maxBatch,
                wait,
                retention,
                retentionEvery,
                retentionChunk,
                writerDelay,
                maxLag,
                walResetBytes,
                walCheckpointEvery);
    }

    public LogSettings withMaxBatch(int rows) {
        return new LogSettings(
                file,
                durability,
                queueCapacity,
                rows,
                appendWait,
                retention,
                retentionEvery,
                retentionChunk,
                writerDelay,
                maxLag,
                walResetBytes,
                walCheckpointEvery);
    }

    public LogSettings withRetentionChunk(int rows) {
        return new LogSettings(
                file,
                durability,
                queueCapacity,
                maxBatch,
                appendWait,
                retention,
                retentionEvery,
                rows,
                writerDelay,
                maxLag,
                walResetBytes,
                walCheckpointEvery);
    }

    public LogSettings withMaxLag(Duration lag) {
        return new LogSettings(
                file,
                durability,
                queueCapacity,
                maxBatch,
                appendWait,
                retention,
                retentionEvery,
                retentionChunk,
                writerDelay,
                lag,
                walResetBytes,
                walCheckpointEvery);
    }

    public LogSettings withWriterDelay(Duration d) {
        return new LogSettings(
                file,
                durability,
                queueCapacity,
                maxBatch,
                appendWait,
                retention,
                retentionEvery,
                retentionChunk,
                d,
                maxLag,
                walResetBytes,
                walCheckpointEvery);
    }

    public LogSettings withWalResetBytes(long bytes) {
        return new LogSettings(
                file,
                durability,
                queueCapacity,
                maxBatch,
                appendWait,
                retention,
                retentionEvery,
                retentionChunk,
                writerDelay,
                maxLag,
                bytes,
                walCheckpointEvery);
    }

    public LogSettings withWalCheckpointEvery(Duration every) {
        return new LogSettings(
                file,
                durability,
                queueCapacity,
                maxBatch,
                appendWait,
                retention,
                retentionEvery,
                retentionChunk,
                writerDelay,
                maxLag,
                walResetBytes,
                every);
    }
}
