package dev.gavel.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under appends that never pause, the passive checkpoints never catch up with the writer and SQLite never
 * restarts the write-ahead log: it grew by ~100 MB/s under HTTP load until the writer learned to empty it.
 */
class WalBoundTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("the write-ahead log stays near its reset size while appends never pause, and every row is kept")
    void walStaysBounded() throws Exception {
        Path file = dir.resolve("log.db");
        Path wal = Path.of(file + "-wal");
        long resetAt = 1L << 20;
        List<PolicyKey> applied = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            applied.add(new PolicyKey("policy-" + i, i % 2 == 0 ? "" : "acme"));
        }
        AtomicLong appended = new AtomicLong();
        AtomicLong maxWal = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(file).withWalResetBytes(resetAt))) {
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
                    "WalBoundTest: %,d rows appended in 3 s, largest WAL %,d bytes (reset at %,d)%n",
                    appended.get(), maxWal.get(), resetAt);
            assertThat(log.count()).isEqualTo(appended.get());
            assertThat(log.walResets()).as("the writer emptied the WAL").isPositive();
        }
        assertThat(appended.get()).as("the load ran").isGreaterThan(1_000);
        assertThat(maxWal.get()).isLessThan(32L << 20);
    }
}
