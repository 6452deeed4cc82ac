package dev.gavel.bench.log;

import dev.gavel.store.log.EvaluationFilter;
import dev.gavel.store.log.EvaluationIds;
import dev.gavel.store.log.EvaluationLog;
import dev.gavel.store.log.EvaluationPage;
import dev.gavel.store.log.EvaluationRecord;
import dev.gavel.store.log.LogSettings;
import dev.gavel.store.log.LoggedMatch;
import dev.gavel.store.log.PolicyKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Fills an evaluation log with N rows (default 10 million) over the last 7 days and times the
 * API's two paginations and their filters on it: are they still fast at that size?
 *
 * <pre>scripts/bench main dev.gavel.bench.log.EvaluationLogFigures [--rows N] [--dir DIR]</pre>
 */
public final class EvaluationLogFigures {
    private static final String[] DECISIONS = {
        "allow", "allow", "allow", "allow", "allow", "allow", "allow", "warn", "warn", "deny"
    };

    public static void main(String[] args) throws Exception {
        long rows = 10_000_000;
        Path dir = Path.of("/tmp/gavel-log-figures");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("evaluations.db");
        Files.deleteIfExists(file);
        Random random = new Random(42);
        Instant start = Instant.now().minusSeconds(7 * 24 * 3600);
        long spanMicros = 7L * 24 * 3600 * 1_000_000;
        String request =
                "{\"resource\":{\"type\":\"model\",\"name\":\"m\"},\"action\":\"invoke\",\"location\":{\"name\":"
                        + "\"eu-west-1\",\"country\":\"IE\",\"continent\":\"EU\"},\"flavor\":{\"name\":\"c7\",\"type\":\"cpu\"},"
                        + "\"tokens\":{\"input\":1200,\"output\":300}}";

        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(file))) {
            long t0 = System.nanoTime();
            for (long i = 0; i < rows; i++) {
                int tenant = random.nextInt(50);
                String scope =
                        "tenant-" + tenant + ".app-" + random.nextInt(3) + ".agent-" + random.nextInt(3) + ".prod";
                String decision = DECISIONS[random.nextInt(DECISIONS.length)];
                List<LoggedMatch> matches = new ArrayList<>();
                if (!decision.equals("allow") || random.nextInt(10) == 0) {
                    int policy = random.nextInt(200);
                    matches.add(new LoggedMatch(
                            "policy-" + policy,
                            policy < 20 ? "" : "tenant-" + tenant,
                            decision.equals("deny") ? "block" : "warn",
                            "deny",
                            "settings.allowed",
                            "not allowed"));
                }
                Instant at = start.plusNanos(1000 * (spanMicros * i / rows));
                log.append(new EvaluationRecord(
                        EvaluationIds.next(),
                        at,
                        scope,
                        "tenant-" + tenant,
                        "model",
                        "invoke",
                        decision,
                        "c" + (i * 20 / rows),
                        150,
                        request,
                        matches,
                        List.of()));
                if (i > 0 && i % 1_000_000 == 0) {
                    System.out.printf("%,d rows, %.0f rows/s%n", i, i / ((System.nanoTime() - t0) / 1e9));
                }
            }
            log.flush();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "wrote %,d rows in %.1f s (%.0f rows/s); file %,d MB%n",
                    rows, seconds, rows / seconds, Files.size(file) / 1_000_000);

            EvaluationFilter all = EvaluationFilter.ALL;
            time("list, no filter, first page of 50", () -> log.list(all, Optional.empty(), 50));
            timePage(log, "list, no filter, 200th page of 50 (keyset)", all, 200);
            time(
                    "list, scope = one env, first page",
                    () -> log.list(all.withScope("tenant-7.app-1.agent-2.prod"), Optional.empty(), 50));
            timePage(log, "list, scope prefix = one tenant, 20th page", all.withScopePrefix("tenant-7"), 20);
            timePage(log, "list, decision = deny, 20th page", all.withDecision("deny"), 20);
            timePage(log, "list, policy = policy-42, 20th page", all.withPolicy("policy-42"), 20);
            time("list, commit = c7, first page", () -> log.list(all.withCommit("c7"), Optional.empty(), 50));
            PolicyKey key = new PolicyKey("policy-5", "");
            time("policy evaluations, page 1 of 50 (with total)", () -> log.policyEvaluations(key, 1, 50));
            time("policy evaluations, page 100 of 50 (with total)", () -> log.policyEvaluations(key, 100, 50));
            time("usage over 24 h and 7 d, all policies", () -> log.usage(Instant.now()));
            PolicyKey tenantPolicy = new PolicyKey("policy-42", "tenant-7");
            time("usage over 24 h and 7 d, one policy (policy reads)", () -> log.usage(tenantPolicy, Instant.now()));
        }
    }

    /** Times fetching the n-th page alone: the cursor to it is walked to first. */
    private static void timePage(EvaluationLog log, String what, EvaluationFilter filter, int n) {
        EvaluationPage p = log.list(filter, Optional.empty(), 50);
        for (int i = 2; i < n && p.nextCursor().isPresent(); i++) {
            p = log.list(filter, p.nextCursor(), 50);
        }
        Optional<String> cursor = p.nextCursor();
        time(what, () -> log.list(filter, cursor, 50));
    }

    private static void time(String what, Supplier<Object> query) {
        query.get(); // warm the page cache and the statement
        long[] ns = new long[7];
        for (int i = 0; i < ns.length; i++) {
            long t = System.nanoTime();
            query.get();
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        System.out.printf(
                "%-55s median %8.2f ms  (min %.2f, max %.2f)%n",
                what, ns[ns.length / 2] / 1e6, ns[0] / 1e6, ns[ns.length - 1] / 1e6);
    }
}
