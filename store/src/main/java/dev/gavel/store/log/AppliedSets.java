package dev.gavel.store.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policies each evaluation applied, stored once per distinct set: {@code applied_set} holds a set's
 * digest, {@code applied_set_member} its definitions (keyed by definition first, so "the sets a policy is in"
 * is a range of the primary key), and {@code evaluation.applied_set} points at it.
 *
 * <p>Why: one row per applied policy per evaluation cost the writer ~15 B-tree inserts per evaluation at 1,000
 * policies and ~200 at 10,000, each on its own page; the log's single writer then bounded HTTP decisions at
 * ~1,600/s (BENCHMARKS.md, "The evaluation log's write cost"). Requests of one scope and kind share one set, so
 * the log has few sets and an evaluation costs one column. The price is on the read side: a policy's history
 * merges the evaluations of each set it is in ({@link LogQueries#appliedEvaluations}).
 */
final class AppliedSets {
    static final String[] DDL = {
        """
      CREATE TABLE IF NOT EXISTS applied_set (
        id INTEGER PRIMARY KEY,
        digest BLOB NOT NULL UNIQUE)""", """
      CREATE TABLE IF NOT EXISTS applied_set_member (
        policy TEXT NOT NULL,
        defined_at TEXT NOT NULL,
        set_id INTEGER NOT NULL,
        PRIMARY KEY (policy, defined_at, set_id)) WITHOUT ROWID""", "CREATE INDEX IF NOT EXISTS applied_set_member_set ON applied_set_member(set_id)",
    };

    /** The sets one definition is in. */
    static final String SETS_OF = "SELECT set_id FROM applied_set_member WHERE policy = ? AND defined_at = ?";

    /** Sets no evaluation and no resource row refers to any more (retention), deleted with their members. */
    private static final String ORPHANS = "SELECT id FROM applied_set s"
            + " WHERE NOT EXISTS (SELECT 1 FROM evaluation e WHERE e.applied_set = s.id)"
            + " AND NOT EXISTS (SELECT 1 FROM set_resource r WHERE r.set_id = s.id)";

    private static final int CACHE_MAX = 4096;

    private final Connection writer;
    /**
     * Known sets by the list as the engine gave it (its order is stable for one scope and kind, so equal lists
     * hit without sorting). Writer thread only; cleared on every rollback, since ids of the rolled-back
     * transaction may be given again to other sets.
     */
    private final Map<List<PolicyKey>, Long> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<PolicyKey>, Long> eldest) {
            return size() > CACHE_MAX;
        }
    };

    /**
     * The same sets by list instance: callers that keep one list per scope (the API does, per snapshot) hit
     * here without hashing every key. Writer thread only; cleared with {@link #cache} and when it grows past
     * {@code CACHE_MAX}, so it never pins old snapshots' lists for long.
     */
    private final java.util.IdentityHashMap<List<PolicyKey>, Long> byInstance = new java.util.IdentityHashMap<>();

    private PreparedStatement find;
    private PreparedStatement insertSet;
    private PreparedStatement insertMember;

    AppliedSets(Connection writer) {
        this.writer = writer;
    }

    static void create(Statement s) throws SQLException {
        for (String ddl : DDL) {
            s.execute(ddl);
        }
    }

    /** The policies an evaluation applied: the applicable ones and any that matched. */
    static List<PolicyKey> of(EvaluationRecord r) {
        if (r.matches().isEmpty()) {
            return r.applicable();
        }
        List<PolicyKey> out = null;
        for (LoggedMatch m : r.matches()) {
            // Matches come from applicable policies nearly always: a linear look, no set built per evaluation.
            if (!r.applicable().contains(m.key()) && (out == null || !out.contains(m.key()))) {
                if (out == null) {
                    out = new ArrayList<>(r.applicable());
                }
                out.add(m.key());
            }
        }
        return out == null ? r.applicable() : out;
    }

    /**
     * The id of this set of definitions (inserted on first sight, in the writer's open transaction), or null
     * for the empty set. Writer thread only.
     */
    Long idOf(List<PolicyKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return null;
        }
        Long id = byInstance.get(keys);
        if (id != null) {
            return id;
        }
        id = cache.get(keys);
        if (id != null) {
            remember(keys, id);
            return id;
        }
        java.util.TreeSet<PolicyKey> unique = new java.util.TreeSet<>(ORDER);
        unique.addAll(keys);
        List<PolicyKey> sorted = new ArrayList<>(unique);
        byte[] digest = digest(sorted);
        id = find(digest);
        if (id == null) {
            id = insert(digest, sorted);
        }
        cache.put(List.copyOf(keys), id);
        remember(keys, id);
        return id;
    }

    private void remember(List<PolicyKey> keys, long id) {
        if (byInstance.size() >= CACHE_MAX) {
            byInstance.clear();
        }
        byInstance.put(keys, id);
    }

    /** Forgets every cached id: the transaction that inserted some of them was rolled back. */
    void rolledBack() {
        cache.clear();
        byInstance.clear();
    }

    /** Deletes sets nothing refers to any more, with their members; in the writer's open transaction. */
    int deleteOrphans() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = writer.createStatement();
                ResultSet rs = s.executeQuery(ORPHANS)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement dm = writer.prepareStatement("DELETE FROM applied_set_member WHERE set_id = ?");
                PreparedStatement ds = writer.prepareStatement("DELETE FROM applied_set WHERE id = ?")) {
            for (long id : ids) {
                dm.setLong(1, id);
                dm.addBatch();
                ds.setLong(1, id);
                ds.addBatch();
            }
            dm.executeBatch();
            ds.executeBatch();
        }
        cache.clear();
        byInstance.clear();
        return ids.size();
    }

    private static final Comparator<PolicyKey> ORDER =
            Comparator.comparing(PolicyKey::policy).thenComparing(PolicyKey::definedAt);

    /** SHA-256 over the sorted definitions, each part length-prefixed so no two sets encode alike. */
    static byte[] digest(List<PolicyKey> sorted) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (PolicyKey k : sorted) {
                part(md, k.policy());
                part(md, k.definedAt());
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    private static void part(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update((byte) (b.length >>> 24));
        md.update((byte) (b.length >>> 16));
        md.update((byte) (b.length >>> 8));
        md.update((byte) b.length);
        md.update(b);
    }

    private Long find(byte[] digest) throws SQLException {
        if (find == null) {
            find = writer.prepareStatement("SELECT id FROM applied_set WHERE digest = ?");
        }
        find.setBytes(1, digest);
        try (ResultSet rs = find.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private long insert(byte[] digest, List<PolicyKey> sorted) throws SQLException {
        if (insertSet == null) {
            insertSet = writer.prepareStatement("INSERT INTO applied_set(digest) VALUES (?)");
            insertMember = writer.prepareStatement(
                    "INSERT INTO applied_set_member(policy, defined_at, set_id) VALUES (?,?,?)");
        }
        insertSet.setBytes(1, digest);
        insertSet.executeUpdate();
        long id;
        try (Statement s = writer.createStatement();
                ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
            id = rs.getLong(1);
        }
        for (PolicyKey k : sorted) {
            insertMember.setString(1, k.policy());
            insertMember.setString(2, k.definedAt());
            insertMember.setLong(3, id);
            insertMember.addBatch();
        }
        insertMember.executeBatch();
        return id;
    }
}
