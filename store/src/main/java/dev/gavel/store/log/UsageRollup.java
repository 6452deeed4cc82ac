package dev.gavel.store.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
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
        /**
         * Evaluations per applied list and hour, by list instance: requests of one scope share one list, so a
         * batch adds each definition's count once per list, not once per evaluation (at 10,000 policies a
         * request applies ~200 of them).
         */
        private final Map<Long, IdentityHashMap<List<PolicyKey>, long[]>> applied = new HashMap<>();

        /**
         * One evaluation counts once per policy it applied ({@code appliedKeys}: the applicable ones and any
         * that matched), and as denied or warned by a policy when any of that policy's matching rules did.
         */
        void add(EvaluationRecord r, List<PolicyKey> appliedKeys) {
            long hour = r.time().getEpochSecond() / 3600;
            applied.computeIfAbsent(hour, h -> new IdentityHashMap<>())
                    .computeIfAbsent(appliedKeys, k -> new long[1])[0]++;
            List<PolicyKey> denied = new ArrayList<>(2);
            List<PolicyKey> warned = new ArrayList<>(2);
            for (LoggedMatch x : r.matches()) {
                List<PolicyKey> into = switch (x.effect()) {
                    case "deny" -> denied;
                    case "warn" -> warned;
                    default -> null;
                };
                if (into != null && !into.contains(x.key())) {
                    into.add(x.key());
                }
            }
            denied.forEach(k -> counts(k, hour)[1]++);
            warned.forEach(k -> counts(k, hour)[2]++);
        }

        private long[] counts(PolicyKey k, long hour) {
            return usage.computeIfAbsent(new UsageKey(k, hour), x -> new long[3]);
        }

        void write(Connection writer) throws SQLException {
            applied.forEach((hour, lists) -> lists.forEach((keys, n) -> {
                for (PolicyKey k : keys) {
                    counts(k, hour)[0] += n[0];
                }
            }));
            applied.clear();
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
