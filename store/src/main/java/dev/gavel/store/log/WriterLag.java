package dev.gavel.store.log;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How far the writer is behind: the age of the oldest row queued and not yet committed. With batch
 * durability an acknowledged row is lost by a crash until its transaction commits, so appends wait while
 * the writer is more than {@code max} behind: the loss window is bounded in time (about twice the bound,
 * docs/evaluations.md), not only by the queue's length, whatever the disk or the CPU do.
 */
final class WriterLag {
    /** No row in flight. */
    static final long NONE = Long.MIN_VALUE;

    private final long maxNanos;
    private final Object progress = new Object();
    /** {@link System#nanoTime()} at which the oldest row of the batch being written was queued. */
    private volatile long batchQueuedAt = NONE;

    WriterLag(Duration max) {
        this.maxNanos = max.toNanos();
    }

    boolean bounded() {
        return maxNanos > 0;
    }

    void batchStarted(long oldestQueuedAt) {
        batchQueuedAt = oldestQueuedAt;
    }

    void batchEnded() {
        batchQueuedAt = NONE;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** The writer's lag now, in nanoseconds (0 when nothing is waiting). */
    long nanos(LongSupplier queueHeadQueuedAt) {
        long oldest = batchQueuedAt;
        if (oldest == NONE) {
            oldest = queueHeadQueuedAt.getAsLong();
        }
        return oldest == NONE ? 0 : Math.max(0, System.nanoTime() - oldest);
    }

    boolean within(LongSupplier queueHeadQueuedAt) {
        return !bounded() || nanos(queueHeadQueuedAt) <= maxNanos;
    }

    /** Waits until the lag is within the bound; false when it is still over it at {@code deadlineNanos}. */
    boolean awaitWithin(LongSupplier queueHeadQueuedAt, long deadlineNanos) throws InterruptedException {
        while (!within(queueHeadQueuedAt)) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (progress) {
                // Re-checked at least every 2 ms: a notification between the check and the wait is not missed for long.
                progress.wait(Math.max(1, Math.min(2, left / 1_000_000)));
            }
        }
        return true;
    }
}
