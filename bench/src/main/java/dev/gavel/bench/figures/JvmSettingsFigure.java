package dev.gavel.bench.figures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Figure 6 (issue 12): Gavel alone under several sets of JVM options, to choose the ones {@code scripts/gavel
 * serve} uses. For each candidate and run, on a fresh data directory: start-up to first decision, RSS then,
 * a wrk warm-up over the request mix, decisions/s and p50/p99 over the mix (evaluation log on), the same
 * server's {@code /healthz} per second (so decisions/healthz says what a decision costs over the HTTP
 * floor), RSS after the load and its peak, and RSS after 10 s idle (what a quiet replica keeps). The
 * candidates take turns within a run so that noise falls on all of them.
 */
final class JvmSettingsFigure {
    private JvmSettingsFigure() {}

    /** How long the server is left idle before the last RSS reading. */
    private static final long IDLE_MS = 10_000;

    static Report run(Harness h) throws IOException, InterruptedException {
        Options o = h.options;
        Report report = new Report(6, "Gavel under JVM option sets: first decision (ms), decisions/s, RSS (MiB)")
                .setting("connections", o.connections())
                .setting("duration", o.duration())
                .setting("warmup", o.warmup())
                .setting("idle_ms", IDLE_MS);
        for (Options.JvmCandidate c : o.jvmCandidates()) {
            report.setting(
                    "candidate " + c.name(),
                    (c.environment().isEmpty() ? "" : c.environment() + " ") + String.join(" ", c.options()));
        }
        for (int size : o.sizes()) {
            Workspace w = h.workspace(size);
            Path healthz = Files.writeString(w.dir().resolve("healthz-paths.txt"), "/healthz\n");
            for (int run = 1; run <= o.runs(); run++) {
                for (Options.JvmCandidate c : o.jvmCandidates()) {
                    System.out.printf("figure 6: %,d policies, run %d/%d, %s%n", size, run, o.runs(), c.name());
                    candidate(h, w, report, c, healthz);
                }
            }
        }
        String first = o.jvmCandidates().get(0).name();
        for (Options.JvmCandidate c :
                o.jvmCandidates().subList(1, o.jvmCandidates().size())) {
            report.ratio("rss_load_mib", c.name(), first);
            report.ratio("rss_idle_mib", c.name(), first);
            report.ratio("rps", c.name(), first);
            report.ratio("p99_ms", c.name(), first);
        }
        return report;
    }

    private static void candidate(Harness h, Workspace w, Report report, Options.JvmCandidate c, Path healthz)
            throws IOException, InterruptedException {
        Path dir = h.runDir("fig6-" + c.name());
        GavelLauncher launcher = new GavelLauncher(h.options.gavelJar(), c.options(), c.environment());
        List<String> bodies = w.gavelBodyLines();
        try (GavelLauncher.Running g =
                launcher.start(w.gavelRepo(), dir.resolve("data"), h.options.gavelPort(), "1s")) {
            report.add(w.size(), c.name(), "first_decision_ms", h.awaitGavel(g, bodies.get(0)));
            report.add(w.size(), c.name(), "rss_first_mib", g.server().rssMib());
            Wrk.Load decisions = Wrk.Load.posts("/api/v1/evaluate", w.gavelBodies(), g.token());
            h.wrk.run(g.server().baseUrl(), decisions, h.options.warmup(), dir.resolve("wrk-warmup.txt"));
            Wrk.Result r = h.wrk.run(g.server().baseUrl(), decisions, h.options.duration(), dir.resolve("wrk.txt"));
            if (r.non2xx() > 0 || r.errors() > 0) {
                report.note(w.size(), c.name(), "failures", r.non2xx() + " non-2xx, " + r.errors() + " errors");
            }
            report.add(w.size(), c.name(), "rps", r.rps());
            report.add(w.size(), c.name(), "p50_ms", r.p50Ms());
            report.add(w.size(), c.name(), "p99_ms", r.p99Ms());
            report.add(w.size(), c.name(), "rss_load_mib", g.server().rssMib());
            Wrk.Result floor = h.wrk.run(
                    g.server().baseUrl(),
                    Wrk.Load.gets(healthz, null),
                    h.options.duration(),
                    dir.resolve("healthz.txt"));
            report.add(w.size(), c.name(), "healthz_rps", floor.rps());
            report.add(w.size(), c.name(), "decisions_over_healthz", r.rps() / floor.rps());
            report.add(w.size(), c.name(), "rss_peak_mib", g.server().peakRssMib());
            Thread.sleep(IDLE_MS);
            report.add(w.size(), c.name(), "rss_idle_mib", g.server().rssMib());
        } finally {
            Workspace.delete(dir);
        }
    }
}
