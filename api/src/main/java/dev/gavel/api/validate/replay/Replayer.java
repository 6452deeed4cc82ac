package dev.gavel.api.validate.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.snapshot.Evaluator;
import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-decides logged requests on a head snapshot and tallies the decisions that would flip. One thread reads the
 * source; worker threads (one per core by default) parse and evaluate chunks of rows, each into its own tally.
 * Requests are read with the same strict reader and decided by the same {@link Evaluator} as {@code POST
 * /evaluate}, with every circuit breaker closed: the head as it would serve from a fresh start.
 */
public final class Replayer {
    static final int CHUNK = 512;

    /** Told how far the replay is, about twice a second (a terminal's progress line). */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, millis) -> {};

        void update(long replayed, long millis);
    }

    private Replayer() {}

    public static <T> ReplayReport run(
            ReplaySource<T> source, ReplayWindow window, PolicySnapshot head, int threads, Progress progress) {
        long start = System.nanoTime();
        int workers = Math.max(1, threads);
        BlockingQueue<List<T>> chunks = new ArrayBlockingQueue<>(workers * 4);
        List<T> end = new ArrayList<>(0); // the poison pill: identity, not content
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "gavel-replay");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gavel-replay-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(
                () -> progress.update(done.get(), (System.nanoTime() - start) / 1_000_000),
                500,
                500,
                TimeUnit.MILLISECONDS);
        try {
            List<Future<ReplayTally>> tallies = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                tallies.add(pool.submit(() -> {
                    ReplayTally tally = new ReplayTally();
                    for (List<T> chunk = chunks.take(); chunk != end; chunk = chunks.take()) {
                        for (T item : chunk) {
                            LoggedRequest logged = source.decode(item);
                            if (logged
                                    != null) { // null: a source skipped it (an evaluation another source already gave)
                                replayOne(logged, head, tally);
                            }
                        }
                        done.addAndGet(chunk.size());
                    }
                    return tally;
                }));
            }
            try {
                List<T> chunk = new ArrayList<>(CHUNK);
                List<List<T>> holder = new ArrayList<>(List.of(chunk));
                source.forEach(window, item -> {
                    List<T> c = holder.get(0);
                    c.add(item);
                    if (c.size() == CHUNK) {
                        put(chunks, c, tallies);
                        holder.set(0, new ArrayList<>(CHUNK));
                    }
                });
                if (!holder.get(0).isEmpty()) {
                    put(chunks, holder.get(0), tallies);
                }
            } finally {
                for (int i = 0; i < workers; i++) {
                    putEnd(chunks, end, tallies);
                }
            }
            ReplayTally total = new ReplayTally();
            for (Future<ReplayTally> f : tallies) {
                total.merge(f.get());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            progress.update(done.get(), millis);
            return total.report(source.describe(), window, millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            ticker.shutdownNow();
            pool.shutdownNow();
        }
    }

    private static void replayOne(LoggedRequest logged, PolicySnapshot head, ReplayTally tally) {
        JsonNode request = logged.request();
        if (request == null || !request.isObject()) {
            tally.unreadable();
            return;
        }
        Evaluator.ScopeOrErrors scope = Evaluator.scope(request, "");
        Evaluator.Outcome now = scope.errors().isEmpty()
                ? Evaluator.evaluate(head, scope.scope().get(), request, CircuitBreakers.NONE_OPEN, "")
                : new Evaluator.Rejected(scope.errors(), java.util.Optional.empty());
        tally.add(logged, now);
    }

    /** Tells one worker to finish; gives up once every worker has already stopped. */
    private static <T> void putEnd(BlockingQueue<List<T>> q, List<T> end, List<? extends Future<?>> workers) {
        try {
            while (!q.offer(end, 100, TimeUnit.MILLISECONDS)) {
                if (workers.stream().allMatch(Future::isDone)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Puts a chunk, failing fast when a worker died (its exception is rethrown by the caller's get()). */
    private static <T> void put(BlockingQueue<List<T>> q, List<T> chunk, List<? extends Future<?>> workers) {
        try {
            while (!q.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                for (Future<?> w : workers) {
                    if (w.isDone()) {
                        return; // a worker failed: stop feeding, get() reports why
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
