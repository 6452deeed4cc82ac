package dev.gavel.store.log;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM by {@link CrashTest}: appends rows {@code 0, 1, 2, ...} at about {@code rate} per
 * second and prints {@code acked <n> <epochMillis>} every 100 rows (n rows acknowledged by then). A
 * shutdown hook (SIGTERM) closes the log, then prints {@code closed <n>}: the rows acknowledged in all.
 */
public final class LogWriterMain {
    private LogWriterMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rate = Integer.parseInt(args[1]);
        EvaluationLog log = EvaluationLog.open(LogSettings.defaults(file));
        AtomicLong acked = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.close();
            try {
                stopped.await(5, TimeUnit.SECONDS); // the main loop's last append either landed or was refused
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("closed " + acked.get());
            System.out.flush();
        }));
        System.out.println("started");
        System.out.flush();
        long start = System.nanoTime();
        try {
            for (int n = 0; ; n++) {
                log.append(Rows.row(n, Instant.now(), "acme", "allow"));
                acked.set(n + 1);
                if ((n + 1) % 100 == 0) {
                    System.out.println("acked " + (n + 1) + " " + System.currentTimeMillis());
                    System.out.flush();
                }
                long due = start + (long) ((n + 1) * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (LogUnavailableException e) {
            // closed by the shutdown hook: this row was not acknowledged
        } finally {
            stopped.countDown();
        }
    }
}
