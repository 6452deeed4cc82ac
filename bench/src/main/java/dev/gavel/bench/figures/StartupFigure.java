package dev.gavel.bench.figures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Figure 4: start-up to first decision, and resident memory. The clock starts just before the process is
 * spawned and stops at the first 200 answer to a decision request (polled every 10 ms). RSS
 * ({@code VmRSS} of /proc/PID/status) is read right after that answer and again after a wrk warm-up over
 * the request mix, with the peak ({@code VmHWM}). Gavel's admin key is made before the clock starts.
 */
final class StartupFigure {
    private StartupFigure() {}

    static Report run(Harness h) throws IOException, InterruptedException {
        Options o = h.options;
        Report report = new Report(4, "start-up to first decision (ms) and resident memory (MiB)")
                .setting(
                        "rss_after",
                        "wrk " + o.rssWarmup() + " over the request mix at " + o.connections() + " connections")
                .setting("gavel_java_options", String.join(" ", o.gavelJavaOptions()))
                .setting("cerbos", "disk driver, audit off");
        for (int size : o.sizes()) {
            Workspace w = h.workspace(size);
            for (int run = 1; run <= o.runs(); run++) {
                System.out.printf("figure 4: %,d policies, run %d/%d%n", size, run, o.runs());
                gavel(h, w, report);
                cerbos(h, w, report);
            }
        }
        report.ratio("first_decision_ms", "gavel", "cerbos");
        report.ratio("rss_warm_mib", "gavel", "cerbos");
        return report;
    }

    private static void gavel(Harness h, Workspace w, Report report) throws IOException, InterruptedException {
        Path dir = h.runDir("fig4-gavel");
        List<String> bodies = w.gavelBodyLines();
        try (GavelLauncher.Running g = h.gavel.start(w.gavelRepo(), dir.resolve("data"), h.options.gavelPort(), "1s")) {
            double ms = h.awaitGavel(g, bodies.get(0));
            report.add(w.size(), "gavel", "first_decision_ms", ms);
            report.add(w.size(), "gavel", "rss_first_mib", g.server().rssMib());
            h.wrk.run(
                    g.server().baseUrl(),
                    Wrk.Load.posts("/api/v1/evaluate", w.gavelBodies(), g.token()),
                    h.options.rssWarmup(),
                    dir.resolve("wrk.txt"));
            report.add(w.size(), "gavel", "rss_warm_mib", g.server().rssMib());
            report.add(w.size(), "gavel", "rss_peak_mib", g.server().peakRssMib());
        } finally {
            Workspace.delete(dir);
        }
    }

    private static void cerbos(Harness h, Workspace w, Report report) throws IOException, InterruptedException {
        Path dir = h.runDir("fig4-cerbos");
        List<String> bodies = w.cerbosBodyLines();
        try (ServerProcess c = h.cerbos.start(
                new CerbosLauncher.Disk(w.cerbosPolicies(), false),
                CerbosLauncher.Audit.OFF,
                h.options.cerbosHttpPort(),
                h.options.cerbosGrpcPort(),
                dir)) {
            double ms = h.awaitCerbos(c, bodies.get(0));
            report.add(w.size(), "cerbos", "first_decision_ms", ms);
            report.add(w.size(), "cerbos", "rss_first_mib", c.rssMib());
            h.wrk.run(
                    c.baseUrl(),
                    Wrk.Load.posts("/api/check/resources", w.cerbosBodies(), null),
                    h.options.rssWarmup(),
                    dir.resolve("wrk.txt"));
            report.add(w.size(), "cerbos", "rss_warm_mib", c.rssMib());
            report.add(w.size(), "cerbos", "rss_peak_mib", c.peakRssMib());
        } finally {
            Workspace.delete(dir);
        }
    }
}
