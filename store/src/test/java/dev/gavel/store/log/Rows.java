package dev.gavel.store.log;

import java.time.Instant;
import java.util.List;

/** Builds log rows for tests. */
final class Rows {
    private Rows() {}

    static EvaluationRecord row(int n, Instant time, String scope, String decision, LoggedMatch... matches) {
        String tenant = scope.isEmpty() ? "" : scope.split("\\.")[0];
        return new EvaluationRecord(
                EvaluationIds.next(),
                time,
                scope,
                tenant,
                "model",
                "invoke",
                decision,
                "c" + (n % 3),
                100 + n,
                "{\"n\":" + n + "}",
                List.of(matches),
                List.of());
    }

    static LoggedMatch deny(String policy, String definedAt, String rule) {
        return new LoggedMatch(policy, definedAt, "block", "deny", rule, policy + " denies");
    }

    static LoggedMatch warn(String policy, String definedAt, String rule) {
        return new LoggedMatch(policy, definedAt, "warn", "warn", rule, policy + " warns");
    }

    static int n(EvaluationRecord r) {
        String j = r.requestJson();
        return Integer.parseInt(j.substring(j.indexOf(':') + 1, j.indexOf('}')));
    }
}
