package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The log's tables and indexes: evaluations, their matches, the sets of policies they applied, the hourly usage
 * roll-up, resources by set and breaker states. Every statement is idempotent ({@code IF NOT EXISTS}), so
 * opening a current log changes nothing; a log of an older layout is migrated once ({@link #migrate}).
 */
final class LogSchema {
    private static final String[] SCHEMA = {
        """
      CREATE TABLE IF NOT EXISTS evaluation (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        time INTEGER NOT NULL,
        scope TEXT NOT NULL,
        tenant TEXT NOT NULL,
        resource_type TEXT,
        action TEXT,
        decision TEXT NOT NULL,
        commit_id TEXT NOT NULL,
        duration_micros INTEGER NOT NULL,
        request TEXT NOT NULL,
        applied_set INTEGER)""",
        // Every index ends in seq implicitly (the rowid), so each one also orders by (…, time, seq).
        "CREATE INDEX IF NOT EXISTS evaluation_time ON evaluation(time)",
        "CREATE INDEX IF NOT EXISTS evaluation_scope_time ON evaluation(scope, time)",
        "CREATE INDEX IF NOT EXISTS evaluation_tenant_time ON evaluation(tenant, time)",
        "CREATE INDEX IF NOT EXISTS evaluation_decision_time ON evaluation(decision, time)",
        "CREATE INDEX IF NOT EXISTS evaluation_commit_time ON evaluation(commit_id, time)",
        """
      CREATE TABLE IF NOT EXISTS evaluation_match (
        evaluation_seq INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        policy TEXT NOT NULL,
        defined_at TEXT NOT NULL,
        enforcement TEXT NOT NULL,
        effect TEXT NOT NULL,
        rule TEXT NOT NULL,
        message TEXT,
        time INTEGER NOT NULL,
        first_of_policy INTEGER NOT NULL,
        PRIMARY KEY (evaluation_seq, ordinal)) WITHOUT ROWID""",
        // Partial indexes over the first match of each policy in an evaluation: one entry per evaluation,
        // so per-policy pages and totals count evaluations, not rules, from the index alone.
        "CREATE INDEX IF NOT EXISTS match_policy_time ON evaluation_match(policy, time) WHERE first_of_policy = 1",
        "CREATE INDEX IF NOT EXISTS match_definition_time ON evaluation_match(policy, defined_at, time)"
                + " WHERE first_of_policy = 1",
        """
      CREATE TABLE IF NOT EXISTS policy_usage (
        policy TEXT NOT NULL,
        defined_at TEXT NOT NULL,
        hour INTEGER NOT NULL,
        evaluations INTEGER NOT NULL,
        denies INTEGER NOT NULL,
        warns INTEGER NOT NULL,
        PRIMARY KEY (policy, defined_at, hour)) WITHOUT ROWID""",
        """
      CREATE TABLE IF NOT EXISTS circuit_breaker (
        policy TEXT NOT NULL,
        defined_at TEXT NOT NULL,
        state TEXT NOT NULL,
        opened_at INTEGER,
        reason TEXT,
        changed_at INTEGER NOT NULL,
        PRIMARY KEY (policy, defined_at)) WITHOUT ROWID""",
        // Distinct resources each set of definitions applied to, by type (ResourceUsage).
        ResourceUsage.DDL,
        ResourceUsage.INDEX
    };

    /** After the column exists (a log written before applied sets gains it in {@link #migrate}). */
    private static final String APPLIED_SET_INDEX =
            "CREATE INDEX IF NOT EXISTS evaluation_applied_set_time ON evaluation(applied_set, time)";

    private LogSchema() {}

    /** Creates what is missing and migrates a log written by an older Gavel; autocommit connection. */
    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            AppliedSets.create(s);
        }
        migrate(c);
        try (Statement s = c.createStatement()) {
            s.execute(APPLIED_SET_INDEX);
        }
    }

    /**
     * Logs written before applied sets kept one {@code evaluation_applied} row per applied policy and
     * evaluation, and a {@code policy_resource} row per definition and resource. Both become sets, in one
     * transaction: each evaluation points at the set of its rows, each resource row moves to the one-policy set of
     * its definition (a definition's count reads every set it is in, so the counts stay the same).
     */
    private static void migrate(Connection c) throws SQLException {
        boolean hasColumn = false;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA table_info(evaluation)")) {
            while (rs.next()) {
                hasColumn |= rs.getString("name").equals("applied_set");
            }
        }
        if (hasColumn && !tableExists(c, "evaluation_applied") && !tableExists(c, "policy_resource")) {
            return;
        }
        c.setAutoCommit(false);
        try {
            if (!hasColumn) {
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE evaluation ADD COLUMN applied_set INTEGER");
                }
            }
            AppliedSets sets = new AppliedSets(c);
            if (tableExists(c, "evaluation_applied")) {
                migrateApplied(c, sets);
            }
            if (tableExists(c, "policy_resource")) {
                migrateResources(c, sets);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void migrateApplied(Connection c, AppliedSets sets) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT evaluation_seq, policy, defined_at FROM evaluation_applied ORDER BY evaluation_seq");
                PreparedStatement u = c.prepareStatement("UPDATE evaluation SET applied_set = ? WHERE seq = ?")) {
            long seq = -1;
            List<PolicyKey> keys = new ArrayList<>();
            while (rs.next()) {
                long next = rs.getLong(1);
                if (next != seq && !keys.isEmpty()) {
                    point(u, seq, sets.idOf(keys));
                    keys = new ArrayList<>();
                }
                seq = next;
                keys.add(new PolicyKey(rs.getString(2), rs.getString(3)));
            }
            if (!keys.isEmpty()) {
                point(u, seq, sets.idOf(keys));
            }
            u.executeBatch();
            s.execute("DROP TABLE evaluation_applied");
        }
    }

    private static void point(PreparedStatement u, long seq, long set) throws SQLException {
        u.setLong(1, set);
        u.setLong(2, seq);
        u.addBatch();
    }

    private static void migrateResources(Connection c, AppliedSets sets) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT policy, defined_at, resource_type, tenant, resource, last_seen"
                        + " FROM policy_resource");
                PreparedStatement i = c.prepareStatement("INSERT INTO set_resource(set_id, resource_type, tenant,"
                        + " resource, last_seen) VALUES (?,?,?,?,?) ON CONFLICT(set_id, resource_type, tenant, resource)"
                        + " DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)")) {
            while (rs.next()) {
                i.setLong(1, sets.idOf(List.of(new PolicyKey(rs.getString(1), rs.getString(2)))));
                i.setString(2, rs.getString(3));
                i.setString(3, rs.getString(4));
                i.setString(4, rs.getString(5));
                i.setLong(5, rs.getLong(6));
                i.addBatch();
            }
            i.executeBatch();
            s.execute("DROP TABLE policy_resource");
        }
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }
}
