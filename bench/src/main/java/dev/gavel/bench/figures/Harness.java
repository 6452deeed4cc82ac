package dev.gavel.bench.figures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** What every figure shares: settings, the tools, the translation and one {@link Workspace} per size. */
final class Harness {
    final Options options;
    final Http http = new Http();
    final Wrk wrk;
    final GavelLauncher gavel;
    final CerbosLauncher cerbos;
    final CerbosTranslation translation;
    private final Map<Integer, Workspace> workspaces = new HashMap<>();

    Harness(Options options, CerbosTranslation translation) {
        this.options = options;
        this.wrk = new Wrk(options.wrkScript(), options.threads(), options.connections());
        this.gavel = new GavelLauncher(options.gavelJar(), options.gavelJavaOptions());
        this.cerbos = new CerbosLauncher(options.cerbosBinary(), translation.engineConfig());
        this.translation = translation;
    }

    Workspace workspace(int size) throws IOException, InterruptedException {
        Workspace w = workspaces.get(size);
        if (w == null) {
            long t0 = System.nanoTime();
            w = Workspace.create(size, options.work(), translation);
            System.out.printf(
                    "  (generated the %,d-policy workspace in %.1f s under %s)%n",
                    size, (System.nanoTime() - t0) / 1e9, w.dir());
            workspaces.put(size, w);
        }
        return w;
    }

    /** A fresh directory for one server run (deleted first if a previous run left it). */
    Path runDir(String name) throws IOException {
        Path dir = options.work().resolve("runs").resolve(name);
        Workspace.delete(dir);
        return Files.createDirectories(dir);
    }

    /** Gavel's evaluate URL. */
    static String evaluateUrl(ServerProcess s) {
        return s.baseUrl() + "/api/v1/evaluate";
    }

    static String checkUrl(ServerProcess s) {
        return s.baseUrl() + "/api/check/resources";
    }

    /**
     * Polls every 10 ms until {@code accept} holds for an answer (or the server died or the timeout passed);
     * returns the nanoTime of the first accepted answer.
     */
    long pollUntil(
            ServerProcess server,
            java.util.function.Supplier<Http.Answer> ask,
            Predicate<Http.Answer> accept,
            long timeoutMillis)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        Http.Answer last = null;
        while (System.nanoTime() < deadline) {
            last = ask.get();
            long now = System.nanoTime();
            if (accept.test(last)) {
                return now;
            }
            server.requireAlive();
            Thread.sleep(10);
        }
        throw new IllegalStateException(server.name() + ": no accepted answer within " + timeoutMillis + " ms; last: "
                + (last == null ? "none" : last.status() + " " + last.body()) + " (log " + server.log() + ")");
    }

    /** Waits until Gavel answers {@code body} with 200; returns ms from spawn to that answer. */
    double awaitGavel(GavelLauncher.Running g, String body) throws IOException, InterruptedException {
        long t = pollUntil(
                g.server(),
                () -> http.post(evaluateUrl(g.server()), g.token(), body),
                Http.Answer::ok,
                1_800_000); // Cerbos takes minutes at 10,000 policies
        return (t - g.server().startedNanos()) / 1e6;
    }

    /** Waits until Cerbos answers {@code body} with 200; returns ms from spawn to that answer. */
    double awaitCerbos(ServerProcess c, String body) throws IOException, InterruptedException {
        long t = pollUntil(
                c,
                () -> http.post(checkUrl(c), null, body),
                Http.Answer::ok,
                1_800_000); // Cerbos takes minutes at 10,000 policies
        return (t - c.startedNanos()) / 1e6;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
