package dev.gavel.store.log;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The log's tables and indexes: evaluations, their matches, the hourly usage roll-up and breaker states.
 * Every statement is idempotent ({@code IF NOT EXISTS}), so opening an existing log changes nothing.
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
        request TEXT NOT NULL)""",
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
        // Every policy an evaluation applied (matched or passed), so a policy's history includes its passes.
        """
      CREATE TABLE IF NOT EXISTS evaluation_applied (
        policy TEXT NOT NULL,
        defined_at TEXT NOT NULL,
        time INTEGER NOT NULL,
        evaluation_seq INTEGER NOT NULL,
        PRIMARY KEY (policy, defined_at, time, evaluation_seq)) WITHOUT ROWID""",
        "CREATE INDEX IF NOT EXISTS applied_seq ON evaluation_applied(evaluation_seq)",
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
        // Distinct resources each definition applied to, by type (ResourceUsage).
        ResourceUsage.DDL,
        ResourceUsage.INDEX
    };

    private LogSchema() {}

    static void create(Statement s) throws SQLException {
        for (String ddl : SCHEMA) {
            s.execute(ddl);
        }
    }
}
