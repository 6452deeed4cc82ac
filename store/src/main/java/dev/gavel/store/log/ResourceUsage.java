package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distinct resources each policy definition applied to, by resource type: the summary table
 * {@code set_resource}, one row per (applied set, resource type, tenant, resource name) holding the last time an
 * evaluation of that resource applied that set of definitions ({@link AppliedSets}). The log's writer upserts it
 * in the same transaction as the evaluations (a batch first folds its rows in memory, so a hot resource costs
 * one upsert per batch, and an evaluation costs one row whatever the number of policies it applied), and
 * retention deletes rows last seen before its cutoff. A read of a window counts the distinct resources of the
 * definition's sets through the primary key: its cost grows with the resources those sets saw, never with the log.
 */
final class ResourceUsage {
    static final String DDL = """
      CREATE TABLE IF NOT EXISTS set_resource (
        set_id INTEGER NOT NULL,
        resource_type TEXT NOT NULL,
        tenant TEXT NOT NULL,
        resource TEXT NOT NULL,
        last_seen INTEGER NOT NULL,
        PRIMARY KEY (set_id, resource_type, tenant, resource)) WITHOUT ROWID""";
    static final String INDEX = "CREATE INDEX IF NOT EXISTS set_resource_last_seen ON set_resource(last_seen)";

    /**
     * One definition's distinct resources by type since a time: a range of the primary key per set it is in, no
     * scan. A resource seen under two of its sets (say, before and after a commit) counts once.
     */
    static final String COUNT = "SELECT resource_type, count(*) FROM (SELECT DISTINCT resource_type, tenant, resource"
            + " FROM set_resource WHERE set_id IN (" + AppliedSets.SETS_OF + ") AND last_seen >= ?)"
            + " GROUP BY resource_type";

    private ResourceUsage() {}

    private record Seen(long set, String type, String tenant, String resource) {}

    /** What one batch saw, folded: the newest time per (definition, resource). Writer thread only. */
    static final class Batch {
        private final Map<Seen, Long> seen = new LinkedHashMap<>();

        /** Counts the evaluation's resource for the set it applied (nothing when it names no resource). */
        void add(EvaluationRecord r, Long appliedSet, long micros) {
            if (r.resourceType() == null
                    || r.resourceType().isBlank()
                    || r.resourceName() == null
                    || r.resourceName().isBlank()
                    || appliedSet == null) {
                return;
            }
            seen.merge(new Seen(appliedSet, r.resourceType(), r.tenant(), r.resourceName()), micros, Math::max);
        }

        void write(Connection writer) throws SQLException {
            if (seen.isEmpty()) {
                return;
            }
            try (PreparedStatement p = writer.prepareStatement("INSERT INTO set_resource(set_id,"
                    + " resource_type, tenant, resource, last_seen) VALUES (?,?,?,?,?)"
                    + " ON CONFLICT(set_id, resource_type, tenant, resource)"
                    + " DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)")) {
                for (Map.Entry<Seen, Long> e : seen.entrySet()) {
                    Seen s = e.getKey();
                    p.setLong(1, s.set());
                    p.setString(2, s.type());
                    p.setString(3, s.tenant());
                    p.setString(4, s.resource());
                    p.setLong(5, e.getValue());
                    p.addBatch();
                }
                p.executeBatch();
            }
            seen.clear();
        }
    }

    /** Deletes rows last seen before the cutoff (retention). */
    static void purge(Connection writer, long cutoffMicros) throws SQLException {
        try (PreparedStatement d = writer.prepareStatement("DELETE FROM set_resource WHERE last_seen < ?")) {
            d.setLong(1, cutoffMicros);
            d.executeUpdate();
        }
    }

    /** Distinct resources by type for each definition, seen at or after {@code sinceMicros}. */
    static Map<PolicyKey, ResourceCounts> read(Connection c, Collection<PolicyKey> keys, long sinceMicros)
            throws SQLException {
        Map<PolicyKey, ResourceCounts> out = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(COUNT)) {
            for (PolicyKey k : keys) {
                p.setString(1, k.policy());
                p.setString(2, k.definedAt());
                p.setLong(3, sinceMicros);
                Map<String, Long> byType = new HashMap<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        byType.put(rs.getString(1), rs.getLong(2));
                    }
                }
                out.put(k, new ResourceCounts(byType));
            }
        }
        return out;
    }
}
