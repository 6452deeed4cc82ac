package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hourly usage roll-up, {@code policy_usage}: per policy definition and hour, how many evaluations ran
 * it and how many it denied or warned. The writer folds a batch in memory and upserts it in the batch's
 * transaction, so the roll-up never disagrees with the rows after a crash; usage reads sum hours, not rows.
 */
final class UsageRollup {
    private UsageRollup() {}

    private record UsageKey(PolicyKey key, long hour) {}

    /** One batch's counts, folded. Writer thread only. */
    static final class Batch {
        private final Map<UsageKey, long[]> usage = new HashMap<>();

        /** One evaluation counts once per policy it ran: denied or warned when any of its matching rules did. */
        void add(EvaluationRecord r) {
            long hour = r.time().getEpochSecond() / 3600;
            Map<PolicyKey, long[]> per = new LinkedHashMap<>();
            for (PolicyKey k : r.applicable()) {
                per.computeIfAbsent(k, x -> new long[3])[0] = 1;
            }
            for (LoggedMatch x : r.matches()) {
                long[] c = per.computeIfAbsent(x.key(), k -> new long[3]);
                c[0] = 1;
                if (x.effect().equals("deny")) {
                    c[1] = 1;
                } else if (x.effect().equals("warn")) {
                    c[2] = 1;
                }
            }
            per.forEach((k, c) -> {
                long[] total = usage.computeIfAbsent(new UsageKey(k, hour), x -> new long[3]);
                for (int i = 0; i < 3; i++) {
                    total[i] += c[i];
                }
            });
        }

        void write(Connection writer) throws SQLException {
            if (usage.isEmpty()) {
                return;
            }
            try (PreparedStatement u = writer.prepareStatement(
                    "INSERT INTO policy_usage(policy, defined_at, hour, evaluations, denies, warns) VALUES (?,?,?,?,?,?)"
                            + " ON CONFLICT(policy, defined_at, hour) DO UPDATE SET evaluations = evaluations + excluded.evaluations,"
                            + " denies = denies + excluded.denies, warns = warns + excluded.warns")) {
                for (Map.Entry<UsageKey, long[]> e : usage.entrySet()) {
                    u.setString(1, e.getKey().key().policy());
                    u.setString(2, e.getKey().key().definedAt());
                    u.setLong(3, e.getKey().hour());
                    u.setLong(4, e.getValue()[0]);
                    u.setLong(5, e.getValue()[1]);
                    u.setLong(6, e.getValue()[2]);
                    u.addBatch();
                }
                u.executeBatch();
            }
        }
    }
}
