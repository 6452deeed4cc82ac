package dev.gavel.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under appends that never pause, the background passive checkpoints never catch up with the writer and SQLite
 * never restarts the write-ahead log: it grew by ~100 MB/s under HTTP load until the writer learned to empty it
 * (a reset past a size), and then stalled the writer at every reset until the writer learned to checkpoint it
 * itself, a little at a time, between batches.
 */
class WalBoundTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("with the writer's own checkpoints, the WAL starts over in place: it stays small, with no reset")
    void writerCheckpointsKeepTheWalSmall() throws Exception {
        long resetAt = 64L << 20; // far above what the checkpoints let the WAL reach
        Load load =
                appendWithoutPause(LogSettings.defaults(dir.resolve("log.db")).withWalResetBytes(resetAt));
        assertThat(load.writerCheckpoints).as("checkpoints the writer ran").isPositive();
        assertThat(load.resets).as("resets").isZero();
        assertThat(load.maxWal).as("largest WAL").isLessThan(8L << 20);
    }

    @Test
    @DisplayName("without them, the WAL stays near its reset size while appends never pause, and every row is kept")
    void resetsBoundTheWal() throws Exception {
        long resetAt = 1L << 20;
        Load load = appendWithoutPause(LogSettings.defaults(dir.resolve("log.db"))
                .withWalResetBytes(resetAt)
                .withWalCheckpointEvery(Duration.ZERO));
        assertThat(load.writerCheckpoints).isZero();
        assertThat(load.resets).as("the writer emptied the WAL").isPositive();
        assertThat(load.maxWal).isLessThan(32L << 20);
    }

    private record Load(long maxWal, long resets, long writerCheckpoints) {}

    /** Two threads append for 3 s without pause; every appended row must be in the log after. */
    private Load appendWithoutPause(LogSettings settings) throws Exception {
        Path wal = Path.of(settings.file() + "-wal");
        List<PolicyKey> applied = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            applied.add(new PolicyKey("policy-" + i, i % 2 == 0 ? "" : "acme"));
        }
        AtomicLong appended = new AtomicLong();
        AtomicLong maxWal = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (EvaluationLog log = EvaluationLog.open(settings)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                Thread writerThread = new Thread(() -> {
                    for (long n = 0; !stop.get(); n++) {
                        log.append(new EvaluationRecord(
                                EvaluationIds.next(),
                                Instant.now(),
                                "acme.chat",
                                "acme",
                                "model",
                                "invoke",
                                "allow",
                                "c1",
                                10,
                                "{\"n\":" + n + "}",
                                List.of(),
                                applied,
                                "model-" + thread + "-" + n)); // a new resource each time: random pages
                        appended.incrementAndGet();
                    }
                });
                writerThread.start();
                threads.add(writerThread);
            }
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                if (Files.exists(wal)) {
                    maxWal.accumulateAndGet(Files.size(wal), Math::max);
                }
                Thread.sleep(5);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            log.flush();
            System.out.printf(
                    "WalBoundTest: %,d rows appended in 3 s, largest WAL %,d bytes (reset at %,d, writer checkpoints"
                            + " every %s): %d resets, %d writer checkpoints%n",
                    appended.get(),
                    maxWal.get(),
                    settings.walResetBytes(),
                    settings.walCheckpointEvery(),
                    log.walResets(),
                    log.writerCheckpoints());
            assertThat(log.count()).isEqualTo(appended.get());
            assertThat(appended.get()).as("the load ran").isGreaterThan(1_000);
            return new Load(maxWal.get(), log.walResets(), log.writerCheckpoints());
        }
    }
}
