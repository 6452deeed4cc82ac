package dev.gavel.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends rows ({@link LogWriterMain}) and counts what reached the database. The
 * stated loss window of batch durability: rows acknowledged within one batch interval (50 ms) before a
 * crash may be lost; older ones may not. The check allows {@link #SCHEDULING_SLACK_MS} on top for a busy
 * 2-core machine, and the test prints the measured figures.
 */
class CrashTest {
    static final long BATCH_INTERVAL_MS = 50;
    static final long SCHEDULING_SLACK_MS = 450;
    static final int RATE = 5_000;

    @TempDir
    Path dir;

    record Ack(long rows, long millis) {}

    @Test
    @DisplayName("SIGTERM: the shutdown hook flushes, every acknowledged row is in the database")
    void sigtermLosesNothing() throws Exception {
        Path db = dir.resolve("term.db");
        Path out = dir.resolve("term.out");
        Process p = start(db, out);
        List<Ack> acks = readUntil(p, out, 3_000);
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long closed = -1;
        for (String line : Files.readAllLines(out)) {
            if (line.startsWith("closed ")) {
                closed = Long.parseLong(line.substring(7).trim());
            }
        }
        assertThat(closed)
                .as("the child reported its acknowledged rows")
                .isGreaterThanOrEqualTo(acks.get(acks.size() - 1).rows());
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(db))) {
            assertThat(log.count()).isEqualTo(closed);
            assertContiguous(log, closed);
        }
    }

    @Test
    @DisplayName("SIGKILL: only rows acknowledged within the last batch interval may be missing")
    void sigkillLosesAtMostTheLastBatchInterval() throws Exception {
        Path db = dir.resolve("kill.db");
        Path out = dir.resolve("kill.out");
        Process p = start(db, out);
        readUntil(p, out, 5_000);
        long killedAt = System.currentTimeMillis();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<Ack> acks = acks(out);
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(db))) {
            long present = log.count();
            assertContiguous(log, present);
            long mustHave = acks.stream()
                    .filter(a -> a.millis() < killedAt - BATCH_INTERVAL_MS - SCHEDULING_SLACK_MS)
                    .mapToLong(Ack::rows)
                    .max()
                    .orElse(0);
            long lastAcked = acks.get(acks.size() - 1).rows();
            System.out.printf(
                    "SIGKILL: %d rows acknowledged (last report), %d present, %d must be present%n",
                    lastAcked, present, mustHave);
            assertThat(mustHave)
                    .as("the test waited long enough for old acknowledgements")
                    .isPositive();
            assertThat(present).isGreaterThanOrEqualTo(mustHave);
        }
    }

    /** Rows are written in order by one writer, so what survives is rows 0..count-1, each once. */
    private static void assertContiguous(EvaluationLog log, long count) {
        java.util.BitSet seen = new java.util.BitSet();
        Optional<String> cursor = Optional.empty();
        do {
            EvaluationPage page = log.list(EvaluationFilter.ALL, cursor, 1000);
            page.evaluations().forEach(e -> {
                int n = Rows.n(e);
                assertThat(seen.get(n)).as("row %d once", n).isFalse();
                seen.set(n);
            });
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        assertThat(seen.cardinality()).isEqualTo((int) count);
        assertThat(seen.nextClearBit(0)).isEqualTo((int) count);
    }

    private static Process start(Path db, Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        ProcessBuilder b = new ProcessBuilder(
                java,
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                cp,
                LogWriterMain.class.getName(),
                db.toString(),
                Integer.toString(RATE));
        b.redirectError(ProcessBuilder.Redirect.DISCARD);
        b.redirectOutput(out.toFile());
        return b.start();
    }

    /** Polls the child's output until {@code rows} rows are acknowledged (the child runs at a fixed rate). */
    private static List<Ack> readUntil(Process p, Path out, long rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<Ack> acks = acks(out);
            if (!acks.isEmpty() && acks.get(acks.size() - 1).rows() >= rows) {
                return acks;
            }
            if (!p.isAlive()) {
                throw new AssertionError(
                        "the child exited (" + p.exitValue() + ") before acknowledging " + rows + " rows");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child did not acknowledge " + rows + " rows within 60 s");
    }

    private static List<Ack> acks(Path out) throws Exception {
        List<Ack> acks = new ArrayList<>();
        String text = Files.readString(out);
        // only whole lines: the last one may be cut short by the kill
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            Ack a = parse(line);
            if (a != null) {
                acks.add(a);
            }
        }
        return acks;
    }

    private static Ack parse(String line) {
        String[] p = line.split(" ");
        if (!line.startsWith("acked ") || p.length != 3) {
            return null;
        }
        return new Ack(Long.parseLong(p[1]), Long.parseLong(p[2]));
    }
}
