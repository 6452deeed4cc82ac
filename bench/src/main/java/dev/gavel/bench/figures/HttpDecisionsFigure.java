package dev.gavel.bench.figures;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Figure 2: HTTP decisions per second and p50/p99 at fixed concurrency (wrk), Gavel with its evaluation
 * log on ({@code POST /api/v1/evaluate}) vs Cerbos (disk store, {@code POST /api/check/resources}) with
 * audit off and on, over the same seeded request mix. Every run restarts every server on a fresh data
 * directory; the variants take turns within a run so that noise spreads over all of them.
 */
final class HttpDecisionsFigure {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Requests of the mix sent to both servers one by one, to report how often they decide alike. */
    private static final int AGREEMENT_SAMPLE = 500;

    private HttpDecisionsFigure() {}

    static Report run(Harness h) throws IOException, InterruptedException {
        Options o = h.options;
        Report report = new Report(
                        2,
                        "HTTP decisions/s and latency at " + o.connections() + " connections (wrk -t " + o.threads()
                                + ", " + o.duration() + " after " + o.warmup() + " warm-up)")
                .setting("connections", o.connections())
                .setting("threads", o.threads())
                .setting("duration", o.duration())
                .setting("warmup", o.warmup())
                .setting("requests", Workspace.REQUESTS)
                .setting("gavel", "evaluation log on (default --log-durability batch), fresh data directory per run")
                .setting("cerbos", "disk driver, watchForChanges false; audit = decision logs only")
                .setting("translation", h.translation.name());
        for (int size : o.sizes()) {
            Workspace w = h.workspace(size);
            for (int run = 1; run <= o.runs(); run++) {
                System.out.printf("figure 2: %,d policies, run %d/%d%n", size, run, o.runs());
                boolean sample = run == 1;
                String[] gavelDecisions = gavel(h, w, report, sample);
                for (CerbosLauncher.Audit audit : o.audits()) {
                    cerbos(h, w, report, audit, sample ? gavelDecisions : null);
                }
            }
        }
        for (CerbosLauncher.Audit audit : o.audits()) {
            report.ratio("rps", "gavel", subject(audit));
            report.ratio("p99_ms", "gavel", subject(audit));
        }
        return report;
    }

    static String subject(CerbosLauncher.Audit audit) {
        return "cerbos-audit-" + audit.label();
    }

    private static String[] gavel(Harness h, Workspace w, Report report, boolean sample)
            throws IOException, InterruptedException {
        Path dir = h.runDir("fig2-gavel");
        List<String> bodies = w.gavelBodyLines();
        try (GavelLauncher.Running g = h.gavel.start(w.gavelRepo(), dir.resolve("data"), h.options.gavelPort(), "1s")) {
            h.awaitGavel(g, bodies.get(0));
            String[] decisions = null;
            if (sample) {
                decisions = new String[AGREEMENT_SAMPLE];
                for (int i = 0; i < AGREEMENT_SAMPLE; i++) {
                    Http.Answer a = h.http.post(Harness.evaluateUrl(g.server()), g.token(), bodies.get(i));
                    decisions[i] =
                            a.ok() ? JSON.readTree(a.body()).path("decision").asText() : "status-" + a.status();
                }
            }
            Wrk.Load load = Wrk.Load.posts("/api/v1/evaluate", w.gavelBodies(), g.token());
            h.wrk.run(g.server().baseUrl(), load, h.options.warmup(), dir.resolve("wrk-warmup.txt"));
            Wrk.Result r = h.wrk.run(g.server().baseUrl(), load, h.options.duration(), dir.resolve("wrk.txt"));
            record(report, w.size(), "gavel", r);
            report.add(w.size(), "gavel", "rss_mib", g.server().rssMib());
            return decisions;
        } finally {
            Workspace.delete(dir);
        }
    }

    private static void cerbos(
            Harness h, Workspace w, Report report, CerbosLauncher.Audit audit, String[] gavelDecisions)
            throws IOException, InterruptedException {
        Path dir = h.runDir("fig2-cerbos-" + audit.label());
        List<String> bodies = w.cerbosBodyLines();
        String subject = subject(audit);
        try (ServerProcess c = h.cerbos.start(
                new CerbosLauncher.Disk(w.cerbosPolicies(), false),
                audit,
                h.options.cerbosHttpPort(),
                h.options.cerbosGrpcPort(),
                dir)) {
            h.awaitCerbos(c, bodies.get(0));
            if (gavelDecisions != null) {
                int same = 0;
                for (int i = 0; i < gavelDecisions.length; i++) {
                    Http.Answer a = h.http.post(Harness.checkUrl(c), null, bodies.get(i));
                    String d = a.ok() ? h.translation.decision(a.body()) : "status-" + a.status();
                    same += d.equals(gavelDecisions[i]) ? 1 : 0;
                }
                report.note(
                        w.size(),
                        subject,
                        "agreement_with_gavel",
                        String.format(
                                java.util.Locale.ROOT,
                                "%d of %d sampled requests decided alike",
                                same,
                                gavelDecisions.length));
            }
            Wrk.Load load = Wrk.Load.posts("/api/check/resources", w.cerbosBodies(), null);
            h.wrk.run(c.baseUrl(), load, h.options.warmup(), dir.resolve("wrk-warmup.txt"));
            Wrk.Result r = h.wrk.run(c.baseUrl(), load, h.options.duration(), dir.resolve("wrk.txt"));
            record(report, w.size(), subject, r);
            report.add(w.size(), subject, "rss_mib", c.rssMib());
        } finally {
            Workspace.delete(dir);
        }
    }

    private static void record(Report report, int size, String subject, Wrk.Result r) {
        report.add(size, subject, "rps", r.rps());
        report.add(size, subject, "p50_ms", r.p50Ms());
        report.add(size, subject, "p99_ms", r.p99Ms());
        report.add(size, subject, "non2xx", r.non2xx());
        if (r.non2xx() > 0 || r.errors() > 0) {
            System.out.printf("  warning: %s answered %d non-2xx, %d socket errors%n", subject, r.non2xx(), r.errors());
        }
    }
}
