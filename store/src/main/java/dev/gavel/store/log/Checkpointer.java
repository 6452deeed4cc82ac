package dev.gavel.store.log;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the write-ahead log into the database on a connection and thread of its own. SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold, so the writer would stall for the whole
 * copy (and its fsync) while rows it has acknowledged wait uncommitted; the writer turns it off
 * ({@code wal_autocheckpoint=0}) and this passive checkpoint, which never blocks the writer, runs instead.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final Path file;
    private final ScheduledExecutorService thread;
    private final AtomicLong checkpoints = new AtomicLong();
    private Connection connection;
    private boolean warned;

    Checkpointer(Path file, Duration every) {
        this.file = file;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gavel-evaluation-log-checkpoint");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::checkpoint, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                try (Statement s = connection.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 1000");
                }
            }
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            }
            checkpoints.incrementAndGet();
            warned = false;
        } catch (SQLException e) {
            if (!warned) {
                LOG.warn(
                        "evaluation log: checkpoint failed (the write-ahead log grows until one succeeds): {}",
                        e.toString());
                warned = true;
            }
        }
    }

    /** Checkpoints that ran. */
    long checkpoints() {
        return checkpoints.get();
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the checkpoint connection failed: {}", e.toString());
            }
        }
    }
}
