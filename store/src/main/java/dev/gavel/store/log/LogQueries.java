package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The log's queries, each on a pooled reader connection (WAL: they never wait for the writer): the
 * evaluation list with keyset cursors, a policy's evaluations, the usage roll-ups and resource summary.
 */
final class LogQueries {
    private final ReaderPool readers;

    LogQueries(ReaderPool readers) {
        this.readers = readers;
    }

    /** Rows in the log (committed ones). */
    long count() {
        return readers.read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM evaluation")) {
                return rs.getLong(1);
            }
        });
    }

    /** One evaluation by its public id. */
    Optional<EvaluationRecord> find(String id) {
        return readers.read(c -> {
            try (PreparedStatement p =
                    c.prepareStatement("SELECT " + LogSql.COLUMNS + " FROM evaluation e WHERE e.id = ?")) {
                p.setString(1, id);
                List<Long> seqs = new ArrayList<>();
                List<EvaluationRecord> rows = LogSql.rows(p, seqs);
                return rows.isEmpty()
                        ? Optional.<EvaluationRecord>empty()
                        : Optional.of(LogSql.withMatches(c, rows, seqs).get(0));
            }
        });
    }

    /**
     * Evaluations matching the filter, newest first, at most {@code limit}, after {@code cursor} (from a
     * previous page's {@code nextCursor}). Keyset pagination on (time, seq): any page costs the same.
     *
     * @throws IllegalArgumentException for a cursor this log did not issue
     */
    EvaluationPage list(EvaluationFilter f, Optional<String> cursor, int limit) {
        Optional<long[]> after = cursor.map(LogTimes::readCursor);
        LogSql.Query q = LogSql.listQuery(f, after, limit);
        return readers.read(c -> {
            try (PreparedStatement p = c.prepareStatement(q.sql())) {
                LogSql.bind(p, q.args());
                List<Long> seqs = new ArrayList<>();
                List<EvaluationRecord> rows = LogSql.rows(p, seqs);
                Optional<String> next = Optional.empty();
                if (rows.size() > limit) {
                    rows = rows.subList(0, limit);
                    seqs = seqs.subList(0, limit);
                    next = Optional.of(
                            LogTimes.cursor(LogTimes.micros(rows.get(limit - 1).time()), seqs.get(limit - 1)));
                }
                return new EvaluationPage(LogSql.withMatches(c, rows, seqs), next);
            }
        });
    }

    /** SQLite's plan for a page of {@link #list}: tests check that no page sorts (a sort costs every row in range). */
    String listPlan(EvaluationFilter f, Optional<String> cursor, int limit) {
        LogSql.Query q = LogSql.listQuery(f, cursor.map(LogTimes::readCursor), limit);
        return readers.read(c -> {
            try (PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + q.sql())) {
                LogSql.bind(p, q.args());
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(4)).append('\n');
                    }
                }
                return plan.toString();
            }
        });
    }

    /**
     * Evaluations in which one policy definition matched, newest first, by page (1-based).
     */
    PolicyEvaluationPage policyEvaluations(PolicyKey key, int page, int pageSize) {
        return readers.read(c -> {
            long total;
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM evaluation_match"
                    + " WHERE policy = ? AND defined_at = ? AND first_of_policy = 1")) {
                p.setString(1, key.policy());
                p.setString(2, key.definedAt());
                try (ResultSet rs = p.executeQuery()) {
                    total = rs.getLong(1);
                }
            }
            List<PolicyEvaluationPage.Item> items = new ArrayList<>();
            try (PreparedStatement p =
                    c.prepareStatement("SELECT " + LogSql.COLUMNS + ", m.enforcement, m.effect, m.rule, m.message"
                            + " FROM evaluation_match m JOIN evaluation e ON e.seq = m.evaluation_seq"
                            + " WHERE m.policy = ? AND m.defined_at = ? AND m.first_of_policy = 1"
                            + " ORDER BY m.time DESC, m.evaluation_seq DESC LIMIT ? OFFSET ?")) {
                p.setString(1, key.policy());
                p.setString(2, key.definedAt());
                p.setInt(3, pageSize);
                p.setLong(4, (long) (page - 1) * pageSize);
                List<Long> seqs = new ArrayList<>();
                List<LoggedMatch> firsts = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                        firsts.add(new LoggedMatch(
                                key.policy(),
                                key.definedAt(),
                                rs.getString(12),
                                rs.getString(13),
                                rs.getString(14),
                                rs.getString(15)));
                    }
                }
                // Re-read the rows in the same order (the result set above carries the first match only).
                List<EvaluationRecord> rows = bySeq(c, seqs);
                for (int i = 0; i < rows.size(); i++) {
                    items.add(new PolicyEvaluationPage.Item(rows.get(i), firsts.get(i)));
                }
            }
            return new PolicyEvaluationPage(items, total, page, pageSize);
        });
    }

    /**
     * Evaluations that applied one policy definition, passes included, newest first, by page (1-based).
     * An item's match is the policy's first matching rule, or null when the policy passed.
     */
    PolicyEvaluationPage appliedEvaluations(PolicyKey key, int page, int pageSize) {
        return readers.read(c -> {
            List<Long> sets = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(AppliedSets.SETS_OF)) {
                p.setString(1, key.policy());
                p.setString(2, key.definedAt());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        sets.add(rs.getLong(1));
                    }
                }
            }
            long total = 0;
            try (PreparedStatement p = c.prepareStatement(SET_COUNT)) {
                for (long set : sets) {
                    p.setLong(1, set);
                    try (ResultSet rs = p.executeQuery()) {
                        total += rs.getLong(1);
                    }
                }
            }
            List<Long> seqs = newestOf(c, sets, (long) (page - 1) * pageSize, pageSize);
            List<PolicyEvaluationPage.Item> items = new ArrayList<>();
            for (EvaluationRecord r : bySeq(c, seqs)) {
                items.add(new PolicyEvaluationPage.Item(
                        r,
                        r.matches().stream()
                                .filter(m -> m.key().equals(key))
                                .findFirst()
                                .orElse(null)));
            }
            return new PolicyEvaluationPage(items, total, page, pageSize);
        });
    }

    /** How many evaluations applied one set: a count over its range of the {@code (applied_set, time)} index. */
    static final String SET_COUNT = "SELECT count(*) FROM evaluation WHERE applied_set = ?";

    /** One set's evaluations, newest first: its range of the {@code (applied_set, time)} index, read backwards. */
    static final String SET_NEWEST =
            "SELECT time, seq FROM evaluation WHERE applied_set = ? ORDER BY time DESC, seq DESC";

    /** One set's evaluations, newest first, read as the merge needs them. */
    private static final class SetCursor implements AutoCloseable {
        final PreparedStatement statement;
        final ResultSet rows;
        long time;
        long seq;

        SetCursor(Connection c, long set) throws SQLException {
            statement = c.prepareStatement(SET_NEWEST);
            statement.setLong(1, set);
            rows = statement.executeQuery();
        }

        boolean advance() throws SQLException {
            if (!rows.next()) {
                return false;
            }
            time = rows.getLong(1);
            seq = rows.getLong(2);
            return true;
        }

        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }

    /**
     * The evaluations of any of these sets, newest first, {@code limit} after skipping {@code offset}: a merge of
     * one cursor per set over its {@code (applied_set, time)} index range, so a page reads about
     * {@code offset + limit} index entries plus one seek per set, whatever the log's size.
     */
    private static List<Long> newestOf(Connection c, List<Long> sets, long offset, int limit) throws SQLException {
        java.util.PriorityQueue<SetCursor> heads = new java.util.PriorityQueue<>(
                Math.max(1, sets.size()),
                java.util.Comparator.<SetCursor>comparingLong(x -> x.time)
                        .thenComparingLong(x -> x.seq)
                        .reversed());
        List<SetCursor> open = new ArrayList<>();
        try {
            for (long set : sets) {
                SetCursor cursor = new SetCursor(c, set);
                open.add(cursor);
                if (cursor.advance()) {
                    heads.add(cursor);
                }
            }
            List<Long> out = new ArrayList<>();
            for (long i = 0; i < offset + limit && !heads.isEmpty(); i++) {
                SetCursor next = heads.poll();
                if (i >= offset) {
                    out.add(next.seq);
                }
                if (next.advance()) {
                    heads.add(next);
                }
            }
            return out;
        } finally {
            for (SetCursor cursor : open) {
                cursor.close();
            }
        }
    }

    private List<EvaluationRecord> bySeq(Connection c, List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return List.of();
        }
        Map<Long, EvaluationRecord> found = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT " + LogSql.COLUMNS + " FROM evaluation e WHERE e.seq IN ("
                + String.join(",", java.util.Collections.nCopies(seqs.size(), "?")) + ")")) {
            LogSql.bind(p, new ArrayList<>(seqs));
            List<Long> got = new ArrayList<>();
            List<EvaluationRecord> rows = LogSql.withMatches(c, LogSql.rows(p, got), got);
            for (int i = 0; i < rows.size(); i++) {
                found.put(got.get(i), rows.get(i));
            }
        }
        return seqs.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    /** Usage of every policy definition seen in the last 7 days, counted by hour. */
    Map<PolicyKey, PolicyUsage> usage(Instant now) {
        long hourNow = now.getEpochSecond() / 3600;
        long from7d = hourNow - 7 * 24 + 1;
        long from24h = hourNow - 24 + 1;
        return readers.read(c -> {
            Map<PolicyKey, PolicyUsage> out = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT policy, defined_at,"
                    + " sum(CASE WHEN hour >= ?1 THEN evaluations ELSE 0 END), sum(CASE WHEN hour >= ?1 THEN denies ELSE 0 END),"
                    + " sum(CASE WHEN hour >= ?1 THEN warns ELSE 0 END), sum(evaluations), sum(denies), sum(warns)"
                    + " FROM policy_usage WHERE hour >= ?2 GROUP BY policy, defined_at")) {
                p.setLong(1, from24h);
                p.setLong(2, from7d);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.put(
                                new PolicyKey(rs.getString(1), rs.getString(2)),
                                new PolicyUsage(
                                        new PolicyUsage.Counts(rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                                        new PolicyUsage.Counts(rs.getLong(6), rs.getLong(7), rs.getLong(8))));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Usage of one policy definition, read through the roll-up's primary key: what a policy read
     * needs, without summing every policy's roll-ups as {@link #usage(Instant)} does.
     */
    PolicyUsage usage(PolicyKey key, Instant now) {
        long hourNow = now.getEpochSecond() / 3600;
        return readers.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT"
                    + " sum(CASE WHEN hour >= ?1 THEN evaluations ELSE 0 END), sum(CASE WHEN hour >= ?1 THEN denies ELSE 0 END),"
                    + " sum(CASE WHEN hour >= ?1 THEN warns ELSE 0 END), sum(evaluations), sum(denies), sum(warns)"
                    + " FROM policy_usage WHERE policy = ?3 AND defined_at = ?4 AND hour >= ?2")) {
                p.setLong(1, hourNow - 24 + 1);
                p.setLong(2, hourNow - 7 * 24 + 1);
                p.setString(3, key.policy());
                p.setString(4, key.definedAt());
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return new PolicyUsage(
                            new PolicyUsage.Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
                            new PolicyUsage.Counts(rs.getLong(4), rs.getLong(5), rs.getLong(6)));
                }
            }
        });
    }

    /**
     * Distinct resources by type that each definition applied to in evaluations at or after {@code since}, read
     * from the {@code policy_resource} summary (no scan of the log); a definition without any counts as
     * {@link ResourceCounts#NONE}.
     */
    Map<PolicyKey, ResourceCounts> resourcesUsed(java.util.Collection<PolicyKey> keys, Instant since) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        return readers.read(c -> ResourceUsage.read(c, keys, LogTimes.micros(since)));
    }
}
