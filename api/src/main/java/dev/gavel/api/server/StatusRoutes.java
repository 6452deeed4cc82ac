package dev.gavel.api.server;

import dev.gavel.api.http.Caller;
import dev.gavel.api.http.Json;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.DiagnosticBody;
import dev.gavel.api.wire.Health;
import dev.gavel.api.wire.Readiness;
import dev.gavel.api.wire.ServerStatus;
import dev.gavel.engine.parse.Diagnostic;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Supplier;

/** Status, readiness and liveness: what is served, what is newest, and why the newest is not served. */
final class StatusRoutes {
    private final SnapshotService snapshots;
    private final Supplier<Optional<String>> logFailure;

    /** @param logFailure the evaluation log's writer error while it cannot commit */
    StatusRoutes(SnapshotService snapshots, Supplier<Optional<String>> logFailure) {
        this.snapshots = snapshots;
        this.logFailure = logFailure;
    }

    void healthz(Context ctx) {
        Json.ok(ctx, new Health("ok"));
    }

    void readyz(Context ctx) {
        SnapshotService.Status s = snapshots.status();
        // Not ready while the log cannot write either: evaluations would all answer 503.
        boolean logWrites = logFailure.get().isEmpty();
        Readiness out = new Readiness(
                s.ready() && logWrites,
                s.upToDate(),
                s.branch(),
                s.head(),
                new ServerStatus.Served(s.served(), s.servedSince()),
                new Readiness.NewestCount(
                        s.newest(), s.newestCompiled(), s.newestDiagnostics().size()),
                new Readiness.LogWriting(logWrites));
        Json.send(ctx, out.ready() ? 200 : 503, out);
    }

    void status(Context ctx) {
        Caller caller = Caller.of(ctx);
        Json.ok(ctx, body(snapshots.status(), d -> d.file().isEmpty() || caller.canSeeFile(d.file())));
    }

    /** @param visible which diagnostics to show: a tenant-limited caller does not see other tenants' files */
    ServerStatus body(SnapshotService.Status s, java.util.function.Predicate<Diagnostic> visible) {
        return new ServerStatus(
                s.ready(),
                s.upToDate(),
                s.branch(),
                s.head(),
                new ServerStatus.Served(s.served(), s.servedSince()),
                new ServerStatus.Newest(
                        s.newest(),
                        s.newestCompiled(),
                        DiagnosticBody.of(
                                s.newestDiagnostics().stream().filter(visible).toList())),
                new ServerStatus.LogState(logFailure.get().isEmpty(), logFailure.get()),
                s.fleet()
                        .map(f -> new ServerStatus.Remote(
                                f.remote().url(),
                                f.remote().reachable(),
                                f.remote().remoteHead(),
                                f.remote().lastFetch(),
                                f.sinceFetch().map(d -> d.toMillis() / 1000.0),
                                f.remote().unreachableSince(),
                                f.remote().lastError(),
                                f.lagCommits(),
                                f.lag().toMillis() / 1000.0,
                                f.stale(),
                                f.maxStaleness().map(d -> d.toMillis() / 1000.0))));
    }
}
