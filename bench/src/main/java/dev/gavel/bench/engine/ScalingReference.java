package dev.gavel.bench.engine;

import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What two threads can do on this machine against one when memory is not in the way: each runs a multiply-add
 * over its own 16 KB array (it stays in the core's L1 cache) for 5 s, three rounds. The reference for
 * {@link ThreadScalingLoop}'s ratio: if this scales 2x, the vCPUs are real cores.
 *
 * <p>{@code scripts/bench main dev.gavel.bench.engine.ScalingReference}
 */
public final class ScalingReference {
    private static volatile long sink;

    private ScalingReference() {}

    public static void main(String[] args) throws Exception {
        work(3);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 3; round++) {
                long one = work(5);
                Future<Long> a = pool.submit(() -> work(5));
                Future<Long> b = pool.submit(() -> work(5));
                long two = a.get() + b.get();
                System.out.printf(Locale.ROOT, "1 thread %d, 2 threads %d: %.2fx%n", one, two, (double) two / one);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Blocks of 100,000 multiply-adds done in {@code seconds}. */
    private static long work(long seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long blocks = 0;
        long x = 1;
        int[] a = new int[4096];
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                a[(int) (x >>> 52)] += (int) x;
            }
            blocks++;
        }
        sink += x + a[7];
        return blocks;
    }
}
