package dev.gavel.store.git;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/** The repository's background threads: daemons (they never keep a JVM alive), and tasks dropped once closing. */
final class DaemonExecutors {
    private DaemonExecutors() {}

    static ExecutorService single(String threadName) {
        return Executors.newSingleThreadExecutor(daemon(threadName));
    }

    static ScheduledExecutorService scheduled(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(daemon(threadName));
    }

    /** Runs {@code task} on {@code executor}, or not at all when it is shutting down (closing: nothing left to do). */
    static void submit(ExecutorService executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // closing: nothing left to tell
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
