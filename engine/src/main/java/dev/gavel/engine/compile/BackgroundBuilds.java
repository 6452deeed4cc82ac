package dev.gavel.engine.compile;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that build deferred knowledge bases ({@link BuildTiming#BACKGROUND}): one per core, daemon, gone after
 * a minute idle. Not the common fork-join pool, which has one thread fewer than the cores (one, here).
 */
final class BackgroundBuilds {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = pool();

    private BackgroundBuilds() {}

    private static ThreadPoolExecutor pool() {
        int n = Math.max(1, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "gavel-partition-build-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Builds the partitions' knowledge bases in this order, side by side; a failure surfaces on first use. */
    static void submit(List<CompiledPartition> partitions) {
        for (CompiledPartition p : partitions) {
            POOL.execute(() -> {
                try {
                    p.ensureBuilt();
                } catch (RuntimeException e) {
                    // kept by the partition: the evaluation that needs it reports it
                }
            });
        }
    }
}
