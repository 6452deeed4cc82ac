package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code circuit_breaker} table: one row per policy definition, its latest breaker state. Writes run on
 * the log's writer thread (so they commit in order with the evaluations), reads on a reader connection.
 */
final class BreakerTable {
    private BreakerTable() {}

    /** Records a breaker's state, replacing the previous one; the caller commits. */
    static void save(Connection c, BreakerState s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO circuit_breaker(policy, defined_at, state, opened_at, reason, changed_at) VALUES (?,?,?,?,?,?)"
                        + " ON CONFLICT(policy, defined_at) DO UPDATE SET state = excluded.state, opened_at = excluded.opened_at,"
                        + " reason = excluded.reason, changed_at = excluded.changed_at")) {
            p.setString(1, s.key().policy());
            p.setString(2, s.key().definedAt());
            p.setString(3, s.open() ? "open" : "closed");
            if (s.openedAt().isPresent()) {
                p.setLong(4, LogTimes.micros(s.openedAt().get()));
            } else {
                p.setNull(4, java.sql.Types.INTEGER);
            }
            p.setString(5, s.reason().orElse(null));
            p.setLong(6, LogTimes.micros(s.changedAt()));
            p.executeUpdate();
        }
    }

    /** Every breaker state recorded. */
    static List<BreakerState> all(Connection c) throws SQLException {
        List<BreakerState> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT policy, defined_at, state, opened_at, reason, changed_at FROM circuit_breaker ORDER BY policy, defined_at")) {
            while (rs.next()) {
                long opened = rs.getLong(4);
                boolean hasOpened = !rs.wasNull();
                out.add(new BreakerState(
                        new PolicyKey(rs.getString(1), rs.getString(2)),
                        rs.getString(3).equals("open"),
                        hasOpened ? Optional.of(LogTimes.instant(opened)) : Optional.empty(),
                        Optional.ofNullable(rs.getString(5)),
                        LogTimes.instant(rs.getLong(6))));
            }
        }
        return out;
    }
}
