package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of the log's evaluation queries: the keyset list query, binding, and rows with their matches. */
final class LogSql {
    private LogSql() {}

    static final String COLUMNS =
            "e.seq, e.id, e.time, e.scope, e.tenant, e.resource_type, e.action, e.decision, e.commit_id, "
                    + "e.duration_micros, e.request";

    record Query(String sql, List<Object> args) {}

    static Query listQuery(EvaluationFilter f, Optional<long[]> after, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        String time;
        String seq;
        if (f.policy().isPresent()) {
            // Driven by the policy's match index: already in (time, seq) order, one entry per evaluation.
            sql.append("SELECT ")
                    .append(COLUMNS)
                    .append(" FROM evaluation_match m JOIN evaluation e ON e.seq = m.evaluation_seq")
                    .append(" WHERE m.first_of_policy = 1 AND m.policy = ?");
            args.add(f.policy().get());
            time = "m.time";
            seq = "m.evaluation_seq";
        } else {
            sql.append("SELECT ").append(COLUMNS).append(" FROM evaluation e WHERE 1 = 1");
            time = "e.time";
            seq = "e.seq";
        }
        f.scope().ifPresent(s -> {
            sql.append(" AND e.scope = ?");
            args.add(s);
        });
        f.scopePrefix().ifPresent(s -> {
            if (s.isEmpty()) {
                return; // the global scope contains every scope
            }
            if (s.indexOf('.') < 0) {
                // A whole tenant: the (tenant, time) index gives the rows already in time order, where the
                // scope range below would make SQLite sort them (130 ms a page at 10 M rows, BENCHMARKS.md).
                sql.append(" AND e.tenant = ?");
                args.add(s);
                return;
            }
            // 'acme.chat' and 'acme.chat.*': '/' is the character after '.', so the range is index-friendly.
            sql.append(" AND (e.scope = ? OR (e.scope >= ? AND e.scope < ?))");
            args.add(s);
            args.add(s + ".");
            args.add(s + "/");
        });
        f.decision().ifPresent(d -> {
            sql.append(" AND e.decision = ?");
            args.add(d);
        });
        f.commit().ifPresent(x -> {
            sql.append(" AND e.commit_id = ?");
            args.add(x);
        });
        f.tenants().ifPresent(ts -> {
            sql.append(" AND e.tenant IN (")
                    .append(String.join(",", java.util.Collections.nCopies(Math.max(1, ts.size()), "?")))
                    .append(")");
            if (ts.isEmpty()) {
                args.add("\u0000"); // no tenant: matches nothing
            }
            args.addAll(new java.util.TreeSet<>(ts));
        });
        f.since().ifPresent(t -> {
            sql.append(" AND ").append(time).append(" >= ?");
            args.add(LogTimes.micros(t));
        });
        f.until().ifPresent(t -> {
            sql.append(" AND ").append(time).append(" < ?");
            args.add(LogTimes.micros(t));
        });
        after.ifPresent(a -> {
            // A row value, not "time < ? OR (time = ? AND seq < ?)": with the OR, SQLite 3.53 plans a multi-index
            // OR and sorts every row in range (1.6 s a page at 1 M rows); the row value stays one index range.
            sql.append(" AND (").append(time).append(", ").append(seq).append(") < (?, ?)");
            args.add(a[0]);
            args.add(a[1]);
        });
        sql.append(" ORDER BY ").append(time).append(" DESC, ").append(seq).append(" DESC LIMIT ?");
        args.add(limit + 1);
        return new Query(sql.toString(), args);
    }

    static void bind(PreparedStatement p, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                p.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                p.setInt(i + 1, n);
            } else {
                p.setString(i + 1, (String) a);
            }
        }
    }

    static List<EvaluationRecord> rows(PreparedStatement p, List<Long> seqs) throws SQLException {
        List<EvaluationRecord> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
                out.add(new EvaluationRecord(
                        rs.getString(2),
                        LogTimes.instant(rs.getLong(3)),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getLong(10),
                        rs.getString(11),
                        List.of(),
                        List.of()));
            }
        }
        return out;
    }

    static List<EvaluationRecord> withMatches(Connection c, List<EvaluationRecord> rows, List<Long> seqs)
            throws SQLException {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<Long, List<LoggedMatch>> bySeq = new HashMap<>();
        try (PreparedStatement p =
                c.prepareStatement("SELECT evaluation_seq, policy, defined_at, enforcement, effect, rule,"
                        + " message FROM evaluation_match WHERE evaluation_seq IN ("
                        + String.join(",", java.util.Collections.nCopies(seqs.size(), "?"))
                        + ") ORDER BY evaluation_seq, ordinal")) {
            bind(p, new ArrayList<>(seqs));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    bySeq.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new LoggedMatch(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7)));
                }
            }
        }
        List<EvaluationRecord> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            EvaluationRecord r = rows.get(i);
            out.add(new EvaluationRecord(
                    r.id(),
                    r.time(),
                    r.scope(),
                    r.tenant(),
                    r.resourceType(),
                    r.action(),
                    r.decision(),
                    r.commit(),
                    r.durationMicros(),
                    r.requestJson(),
                    bySeq.getOrDefault(seqs.get(i), List.of()),
                    List.of()));
        }
        return out;
    }
}
