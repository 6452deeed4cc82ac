package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's read-only connections, at most {@value #READERS}, opened on demand: in WAL mode a reader never
 * blocks the writer, so queries take their own connection instead of sharing the writer's.
 */
final class ReaderPool {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluationLog.class);
    static final int READERS = 4;

    private final LogSettings settings;
    /** The log's closed flag: a connection given back after close() is closed, not pooled. */
    private final BooleanSupplier closed;

    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final AtomicLong readersOpened = new AtomicLong();

    ReaderPool(LogSettings settings, BooleanSupplier closed) {
        this.settings = settings;
        this.closed = closed;
    }

    @FunctionalInterface
    interface SqlRead<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Runs {@code work} on a pooled reader; an SQL error discards that connection (it may be broken). */
    <T> T read(SqlRead<T> work) {
        Connection c = borrow();
        boolean broken = false;
        try {
            return work.apply(c);
        } catch (SQLException e) {
            broken = true;
            throw new LogUnavailableException("reading the evaluation log failed: " + e.getMessage(), e);
        } finally {
            giveBack(c, broken);
        }
    }

    private Connection borrow() {
        Connection c = readers.poll();
        if (c != null) {
            return c;
        }
        if (readersOpened.incrementAndGet() <= READERS) {
            try {
                return LogConnection.open(settings, true);
            } catch (SQLException e) {
                readersOpened.decrementAndGet();
                throw new LogUnavailableException("cannot open a reader on the evaluation log: " + e.getMessage(), e);
            }
        }
        readersOpened.decrementAndGet();
        try {
            c = readers.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (c == null) {
            throw new LogUnavailableException("no reader connection became free");
        }
        return c;
    }

    private void giveBack(Connection c, boolean broken) {
        if (broken || closed.getAsBoolean() || !readers.offer(c)) {
            closeQuietly(c);
            readersOpened.decrementAndGet();
        }
    }

    /** Closes the idle connections; one in use is closed when it is given back (the log is closed by then). */
    void close() {
        Connection c;
        while ((c = readers.poll()) != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a reader failed: {}", e.toString());
        }
    }
}
