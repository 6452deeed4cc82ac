package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/** How the log opens an SQLite connection: one place, so the writer and the readers agree on the settings. */
final class LogConnection {
    private LogConnection() {}

    static Connection open(LogSettings settings, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        if (!readOnly) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL); // persistent in the file: readers need not set it
        }
        config.setSynchronous(
                settings.durability() == Durability.SYNC
                        ? SQLiteConfig.SynchronousMode.FULL
                        : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        if (readOnly) {
            config.setReadOnly(true);
        }
        return DriverManager.getConnection("jdbc:sqlite:" + settings.file().toAbsolutePath(), config.toProperties());
    }
}
