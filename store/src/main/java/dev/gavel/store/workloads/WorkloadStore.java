package dev.gavel.store.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The workload database ({@code workloads.db} in the data directory): clusters with their tenant and
 * last report, the pods and jobs of that report, and the heartbeat policy governing each workload. A
 * report and its matches are written in one transaction, so a reader sees the old set or the new one,
 * never a mix, and a refused report leaves nothing behind. One connection, serialised: reports are
 * rare next to evaluations, and each one is a single transaction.
 */
public final class WorkloadStore implements AutoCloseable {
    private final WorkloadConnection db;
    private final Path file;

    private WorkloadStore(Path file, Connection connection) {
        this.file = file;
        this.db = new WorkloadConnection(connection);
    }

    /** Opens (creating when absent) and migrates the database at {@code file}. */
    public static WorkloadStore open(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.enforceForeignKeys(false);
            config.setBusyTimeout(10_000);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            WorkloadSchema.migrate(c);
            return new WorkloadStore(file, c);
        } catch (SQLException | java.io.IOException e) {
            throw new WorkloadStoreException("cannot open the workload database " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** The schema version of the file (its {@code PRAGMA user_version}). */
    public synchronized int version() {
        return db.query("PRAGMA user_version", ps -> {}, rs -> rs.getInt(1)).get(0);
    }

    public synchronized Optional<ClusterInfo> cluster(String name) {
        return db
                .query(
                        "SELECT " + CLUSTER_COLUMNS + " FROM cluster WHERE name = ?",
                        ps -> ps.setString(1, name),
                        WorkloadStore::clusterInfo)
                .stream()
                .findFirst();
    }

    /** Clusters of these tenants, by name; every cluster when {@code tenants} is empty (an unrestricted caller). */
    public synchronized List<ClusterInfo> clusters(Optional<Set<String>> tenants) {
        List<ClusterInfo> all = db.query(
                "SELECT " + CLUSTER_COLUMNS + " FROM cluster ORDER BY name", ps -> {}, WorkloadStore::clusterInfo);
        return tenants.map(t -> all.stream().filter(c -> t.contains(c.tenant())).toList())
                .orElse(all);
    }

    /**
     * Replaces a cluster's report and its matches in one transaction, claiming the cluster for {@code tenant}
     * on its first report.
     *
     * @throws ClusterOwnedException when another tenant owns the cluster (nothing written)
     */
    public synchronized ClusterInfo replace(
            String cluster,
            String tenant,
            ClusterReport report,
            Instant at,
            String commit,
            List<WorkloadMatch> matches) {
        return db.inTransaction(() -> {
            Optional<ClusterInfo> before = cluster(cluster);
            if (before.isPresent() && !before.get().tenant().equals(tenant)) {
                throw new ClusterOwnedException(cluster);
            }
            for (String table : List.of("pod", "pod_label", "job", "job_pod", "heartbeat_match")) {
                db.update(
                        "DELETE FROM " + table + " WHERE cluster = ?",
                        ps -> ps.setString(1, cluster)); // table names are ours
            }
            db.update("""
          INSERT INTO cluster (name, tenant, reported_at, pod_count, job_count, matched_commit, matched_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT(name) DO UPDATE SET reported_at = excluded.reported_at, pod_count = excluded.pod_count,
            job_count = excluded.job_count, matched_commit = excluded.matched_commit, matched_at = excluded.matched_at""", ps -> {
                ps.setString(1, cluster);
                ps.setString(2, tenant);
                ps.setLong(3, at.toEpochMilli());
                ps.setInt(4, report.pods().size());
                ps.setInt(5, report.jobs().size());
                ps.setString(6, commit);
                ps.setLong(7, at.toEpochMilli());
            });
            try (PreparedStatement pod = db.prepare(
                            "INSERT INTO pod (cluster, id, name, namespace, status) VALUES (?, ?, ?, ?, ?)");
                    PreparedStatement label =
                            db.prepare("INSERT INTO pod_label (cluster, pod_id, key, value) VALUES (?, ?, ?, ?)")) {
                for (StoredPod p : report.pods()) {
                    pod.setString(1, cluster);
                    pod.setString(2, p.id());
                    pod.setString(3, p.name());
                    pod.setString(4, p.namespace());
                    pod.setString(5, p.status());
                    pod.addBatch();
                    for (Map.Entry<String, String> l : p.labels().entrySet()) {
                        label.setString(1, cluster);
                        label.setString(2, p.id());
                        label.setString(3, l.getKey());
                        label.setString(4, l.getValue());
                        label.addBatch();
                    }
                }
                pod.executeBatch();
                label.executeBatch();
            }
            try (PreparedStatement job = db.prepare(
                            "INSERT INTO job (cluster, id, name, namespace, priority, status) VALUES (?, ?, ?, ?, ?, ?)");
                    PreparedStatement jobPod =
                            db.prepare("INSERT INTO job_pod (cluster, job_id, ordinal, pod_id) VALUES (?, ?, ?, ?)")) {
                for (StoredJob j : report.jobs()) {
                    job.setString(1, cluster);
                    job.setString(2, j.id());
                    job.setString(3, j.name());
                    job.setString(4, j.namespace());
                    job.setInt(5, j.priority());
                    job.setString(6, j.status());
                    job.addBatch();
                    for (int i = 0; i < j.podIds().size(); i++) {
                        jobPod.setString(1, cluster);
                        jobPod.setString(2, j.id());
                        jobPod.setInt(3, i);
                        jobPod.setString(4, j.podIds().get(i));
                        jobPod.addBatch();
                    }
                }
                job.executeBatch();
                jobPod.executeBatch();
            }
            insertMatches(tenant, matches);
            return cluster(cluster).orElseThrow();
        });
    }

    /** Replaces a cluster's matches (recomputed for a new policy commit); false when the cluster is gone. */
    public synchronized boolean replaceMatches(String cluster, String commit, Instant at, List<WorkloadMatch> matches) {
        return db.inTransaction(() -> {
            Optional<ClusterInfo> c = cluster(cluster);
            if (c.isEmpty()) {
                return false;
            }
            db.update("DELETE FROM heartbeat_match WHERE cluster = ?", ps -> ps.setString(1, cluster));
            insertMatches(c.get().tenant(), matches);
            db.update("UPDATE cluster SET matched_commit = ?, matched_at = ? WHERE name = ?", ps -> {
                ps.setString(1, commit);
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, cluster);
            });
            return true;
        });
    }

    /** Marks a cluster's matches as current at {@code commit} without changing them (the policies it runs did not change). */
    public synchronized void markMatched(String cluster, String commit, Instant at) {
        db.update("UPDATE cluster SET matched_commit = ?, matched_at = ? WHERE name = ?", ps -> {
            ps.setString(1, commit);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, cluster);
        });
    }

    private void insertMatches(String tenant, List<WorkloadMatch> matches) throws SQLException {
        try (PreparedStatement m = db.prepare("""
        INSERT INTO heartbeat_match (cluster, kind, workload_id, tenant, policy_scope, policy_name, interval)
        VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            for (WorkloadMatch w : matches) {
                m.setString(1, w.cluster());
                m.setString(2, w.kind());
                m.setString(3, w.workloadId());
                m.setString(4, tenant);
                m.setString(5, w.policyScope());
                m.setString(6, w.policyName());
                if (w.interval().isPresent()) {
                    m.setLong(7, w.interval().get());
                } else {
                    m.setNull(7, java.sql.Types.INTEGER);
                }
                m.addBatch();
            }
            m.executeBatch();
        }
    }

    /** The cluster's last report (empty lists when it never reported). */
    public synchronized ClusterReport report(String cluster) {
        Map<String, Map<String, String>> labels = new HashMap<>();
        db.query(
                "SELECT pod_id, key, value FROM pod_label WHERE cluster = ? ORDER BY pod_id, key",
                ps -> ps.setString(1, cluster),
                rs -> labels.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), rs.getString(3)));
        List<StoredPod> pods = db.query(
                "SELECT id, name, namespace, status FROM pod WHERE cluster = ? ORDER BY id",
                ps -> ps.setString(1, cluster),
                rs -> new StoredPod(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        labels.getOrDefault(rs.getString(1), Map.of())));
        Map<String, List<String>> jobPods = new HashMap<>();
        db.query(
                "SELECT job_id, pod_id FROM job_pod WHERE cluster = ? ORDER BY job_id, ordinal",
                ps -> ps.setString(1, cluster),
                rs -> jobPods.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(rs.getString(2)));
        List<StoredJob> jobs = db.query(
                "SELECT id, name, namespace, priority, status FROM job WHERE cluster = ? ORDER BY id",
                ps -> ps.setString(1, cluster),
                rs -> new StoredJob(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getString(5),
                        jobPods.getOrDefault(rs.getString(1), List.of())));
        return new ClusterReport(pods, jobs);
    }

    /** The key a page of a policy's workloads continues after: (cluster, kind, id). */
    public record PageKey(String cluster, String kind, String id) {}

    /**
     * A page of the workloads one policy governs in {@code tenant}, ordered by cluster, kind and id.
     *
     * @param kind {@code pod}, {@code job}, or null for both
     * @param after the last key of the previous page, or null for the first
     */
    public synchronized List<MatchedWorkload> governedBy(
            Optional<Set<String>> tenants, String scope, String name, String kind, PageKey after, int limit) {
        List<String> t = WorkloadConnection.tenantList(tenants);
        List<MatchedWorkload> rows = db.query(
                """
        SELECT m.cluster, m.kind, m.workload_id, m.interval, COALESCE(p.name, j.name), COALESCE(p.namespace, j.namespace),
          COALESCE(p.status, j.status), j.priority
        FROM heartbeat_match m
        LEFT JOIN pod p ON m.kind = 'pod' AND p.cluster = m.cluster AND p.id = m.workload_id
        LEFT JOIN job j ON m.kind = 'job' AND j.cluster = m.cluster AND j.id = m.workload_id
        WHERE %s AND m.policy_scope = ? AND m.policy_name = ? AND (? IS NULL OR m.kind = ?)
          AND (m.cluster, m.kind, m.workload_id) > (?, ?, ?)
        ORDER BY m.cluster, m.kind, m.workload_id LIMIT ?""".formatted(WorkloadConnection.tenantClause(t)),
                ps -> {
                    int i = WorkloadConnection.bindTenants(ps, 1, t);
                    ps.setString(i, scope);
                    ps.setString(i + 1, name);
                    ps.setString(i + 2, kind);
                    ps.setString(i + 3, kind);
                    ps.setString(i + 4, after == null ? "" : after.cluster());
                    ps.setString(i + 5, after == null ? "" : after.kind());
                    ps.setString(i + 6, after == null ? "" : after.id());
                    ps.setInt(i + 7, limit);
                },
                rs -> {
                    long interval = rs.getLong(4);
                    Optional<Long> iv = rs.wasNull() ? Optional.empty() : Optional.of(interval);
                    int priority = rs.getInt(8);
                    Optional<Integer> pr = rs.wasNull() ? Optional.empty() : Optional.of(priority);
                    return new MatchedWorkload(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            pr,
                            List.of(),
                            iv);
                });
        List<MatchedWorkload> out = new ArrayList<>(rows.size());
        for (MatchedWorkload w : rows) {
            if (w.kind().equals("job")) {
                List<String> pods = db.query(
                        "SELECT pod_id FROM job_pod WHERE cluster = ? AND job_id = ? ORDER BY ordinal",
                        ps -> {
                            ps.setString(1, w.cluster());
                            ps.setString(2, w.id());
                        },
                        rs -> rs.getString(1));
                out.add(new MatchedWorkload(
                        w.cluster(),
                        w.kind(),
                        w.id(),
                        w.name(),
                        w.namespace(),
                        w.status(),
                        w.priority(),
                        pods,
                        w.interval()));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /** The reported pods a policy tracks: those it governs and those of the jobs it governs, by cluster and id. */
    public synchronized List<StoredPod> trackedPods(Optional<Set<String>> tenants, String scope, String name) {
        List<String> t = WorkloadConnection.tenantList(tenants);
        String clause = WorkloadConnection.tenantClause(t);
        return db.query(
                """
        SELECT p.id, p.name, p.namespace, p.status FROM pod p WHERE (p.cluster, p.id) IN (
          SELECT m.cluster, m.workload_id FROM heartbeat_match m
          WHERE %s AND m.policy_scope = ? AND m.policy_name = ? AND m.kind = 'pod'
          UNION
          SELECT jp.cluster, jp.pod_id FROM heartbeat_match m JOIN job_pod jp ON jp.cluster = m.cluster AND jp.job_id = m.workload_id
          WHERE %s AND m.policy_scope = ? AND m.policy_name = ? AND m.kind = 'job')
        ORDER BY p.cluster, p.id""".formatted(clause, clause),
                ps -> {
                    int i = 1;
                    for (int k = 0; k < 2; k++) {
                        i = WorkloadConnection.bindTenants(ps, i, t);
                        ps.setString(i++, scope);
                        ps.setString(i++, name);
                    }
                },
                rs -> new StoredPod(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Map.of()));
    }

    /** Counts for every policy governing something in these tenants (all: empty), keyed {@code scope + "/" + name}. */
    public synchronized Map<String, PolicyCounts> counts(Optional<Set<String>> tenants) {
        List<String> t = WorkloadConnection.tenantList(tenants);
        String clause = WorkloadConnection.tenantClause(t);
        Map<String, long[]> acc = new HashMap<>();
        db.query(
                "SELECT m.policy_scope, m.policy_name, m.kind, COUNT(*) FROM heartbeat_match m WHERE " + clause
                        + " GROUP BY 1, 2, 3",
                ps -> {
                    WorkloadConnection.bindTenants(ps, 1, t);
                },
                rs -> {
                    long[] a = acc.computeIfAbsent(rs.getString(1) + "/" + rs.getString(2), k -> new long[3]);
                    a["pod".equals(rs.getString(3)) ? 0 : 1] = rs.getLong(4);
                    return null;
                });
        db.query(
                """
        SELECT s, n, COUNT(*) FROM (
          SELECT m.policy_scope s, m.policy_name n, m.cluster c, m.workload_id p FROM heartbeat_match m
          WHERE %s AND m.kind = 'pod'
          UNION
          SELECT m.policy_scope, m.policy_name, jp.cluster, jp.pod_id FROM heartbeat_match m
          JOIN job_pod jp ON jp.cluster = m.cluster AND jp.job_id = m.workload_id
          WHERE %s AND m.kind = 'job')
        GROUP BY s, n""".formatted(clause, clause),
                ps -> {
                    WorkloadConnection.bindTenants(ps, WorkloadConnection.bindTenants(ps, 1, t), t);
                },
                rs -> {
                    acc.computeIfAbsent(rs.getString(1) + "/" + rs.getString(2), k -> new long[3])[2] = rs.getLong(3);
                    return null;
                });
        Map<String, PolicyCounts> out = new HashMap<>();
        acc.forEach((k, a) -> out.put(k, new PolicyCounts(a[0], a[1], a[2])));
        return out;
    }

    public synchronized PolicyCounts counts(Optional<Set<String>> tenants, String scope, String name) {
        return counts(tenants).getOrDefault(scope + "/" + name, PolicyCounts.NONE);
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new WorkloadStoreException("closing " + file + ": " + e.getMessage(), e);
        }
    }

    // ---- rows

    private static final String CLUSTER_COLUMNS =
            "name, tenant, reported_at, pod_count, job_count, matched_commit, matched_at";

    private static ClusterInfo clusterInfo(ResultSet rs) throws SQLException {
        long matchedAt = rs.getLong(7);
        Optional<Instant> at = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(matchedAt));
        return new ClusterInfo(
                rs.getString(1),
                rs.getString(2),
                Instant.ofEpochMilli(rs.getLong(3)),
                rs.getInt(4),
                rs.getInt(5),
                Optional.ofNullable(rs.getString(6)),
                at);
    }
}
