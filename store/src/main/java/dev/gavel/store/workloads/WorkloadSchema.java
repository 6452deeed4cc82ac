package dev.gavel.store.workloads;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The workload database's versioned migrations: migration {@code i} takes the file from {@code PRAGMA
 * user_version} {@code i} to {@code i + 1}, in one transaction with the version bump. A file written by a
 * newer Gavel (a higher version than this code knows) is refused rather than misread.
 */
final class WorkloadSchema {
    static final List<String[]> MIGRATIONS = List.<String[]>of(new String[] {
        """
          CREATE TABLE cluster (
            name TEXT PRIMARY KEY,
            tenant TEXT NOT NULL,
            reported_at INTEGER NOT NULL,
            pod_count INTEGER NOT NULL,
            job_count INTEGER NOT NULL,
            matched_commit TEXT,
            matched_at INTEGER)""",
        "CREATE INDEX cluster_tenant ON cluster(tenant, name)",
        """
          CREATE TABLE pod (
            cluster TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            namespace TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (cluster, id)) WITHOUT ROWID""",
        """
          CREATE TABLE pod_label (
            cluster TEXT NOT NULL,
            pod_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (cluster, pod_id, key)) WITHOUT ROWID""",
        """
          CREATE TABLE job (
            cluster TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            namespace TEXT NOT NULL,
            priority INTEGER NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (cluster, id)) WITHOUT ROWID""",
        """
          CREATE TABLE job_pod (
            cluster TEXT NOT NULL,
            job_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            pod_id TEXT NOT NULL,
            PRIMARY KEY (cluster, job_id, ordinal)) WITHOUT ROWID""",
        """
          CREATE TABLE heartbeat_match (
            cluster TEXT NOT NULL,
            kind TEXT NOT NULL,
            workload_id TEXT NOT NULL,
            tenant TEXT NOT NULL,
            policy_scope TEXT NOT NULL,
            policy_name TEXT NOT NULL,
            interval INTEGER,
            PRIMARY KEY (cluster, kind, workload_id)) WITHOUT ROWID""",
        "CREATE INDEX match_policy ON heartbeat_match(tenant, policy_scope, policy_name, cluster, kind, workload_id)"
    });

    private WorkloadSchema() {}

    /** Brings the file up to the newest version; returns the version it had. */
    static int migrate(Connection c) throws SQLException {
        int version;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > MIGRATIONS.size()) {
            throw new SQLException(
                    "the workload database is at version " + version + "; this Gavel knows up to " + MIGRATIONS.size());
        }
        for (int v = version; v < MIGRATIONS.size(); v++) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : MIGRATIONS.get(v)) {
                    s.execute(sql);
                }
                s.execute("PRAGMA user_version = " + (v + 1)); // a number of ours, never input
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return version;
    }

    static int latest() {
        return MIGRATIONS.size();
    }
}
