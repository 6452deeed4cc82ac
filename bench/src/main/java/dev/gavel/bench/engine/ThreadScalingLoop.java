package dev.gavel.bench.engine;

import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decisions per second with one thread and with two, in alternating seconds of one JVM (the order flipped every
 * round), then the medians and their ratio: the machine's slow and quick spells, which move separate runs by up to
 * 1.6x, fall on both alike. The same two pool threads serve every round, so each keeps its sessions.
 *
 * <p>{@code scripts/bench main dev.gavel.bench.engine.ThreadScalingLoop --policies 1000 --rounds 30 --warmup 15}
 */
public final class ThreadScalingLoop {
    private ThreadScalingLoop() {}

    public static void main(String[] args) throws Exception {
        int policies = Integer.parseInt(AlphaWalkReport.arg(args, "--policies", "1000"));
        int rounds = Integer.parseInt(AlphaWalkReport.arg(args, "--rounds", "30"));
        int warmup = Integer.parseInt(AlphaWalkReport.arg(args, "--warmup", "15"));
        Workload workload = WorkloadGenerator.generate(policies);
        PolicySnapshot snapshot = workload.compile("scaling").snapshot();
        Request[] requests = RequestMix.generate(workload, workload.seed(), EvaluationBenchmark.REQUESTS)
                .toArray(Request[]::new);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Long> one = new ArrayList<>();
        List<Long> two = new ArrayList<>();
        try {
            for (int round = 1; round <= warmup + rounds; round++) {
                for (int k = 0; k < 2; k++) {
                    int threads = (round + k) % 2 == 0 ? 1 : 2;
                    long rate = second(pool, snapshot, requests, threads);
                    System.out.printf(Locale.ROOT, "round %d, %d thread(s): %d evaluations/s%n", round, threads, rate);
                    if (round > warmup) {
                        (threads == 1 ? one : two).add(rate);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long m1 = median(one);
        long m2 = median(two);
        System.out.printf(
                Locale.ROOT,
                "%d policies: 1 thread %d/s, 2 threads %d/s (medians of %d rounds after %d of warm-up): %.2fx%n",
                policies,
                m1,
                m2,
                rounds,
                warmup,
                (double) m2 / m1);
    }

    /** Decisions in one second by {@code threads} of the pool's threads, each from its own place in the mix. */
    private static long second(ExecutorService pool, PolicySnapshot snapshot, Request[] requests, int threads)
            throws Exception {
        long end = System.nanoTime() + 1_000_000_000L;
        List<Future<Long>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int start = t * requests.length / 2;
            running.add(pool.submit(() -> {
                long n = 0;
                long sink = 0;
                int next = start;
                while (System.nanoTime() < end) {
                    for (int k = 0; k < 100; k++) {
                        sink += snapshot.evaluate(requests[next]).matches().size();
                        next = next + 1 == requests.length ? 0 : next + 1;
                        n++;
                    }
                }
                return sink == Long.MIN_VALUE ? -1 : n; // sink used, so the loop is not dead code
            }));
        }
        long total = 0;
        for (Future<Long> f : running) {
            total += f.get();
        }
        return total;
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
