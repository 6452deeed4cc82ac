package dev.gavel.api.server;

import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.Caller;
import dev.gavel.api.wire.DiagnosticBody;
import dev.gavel.api.wire.Health;
import dev.gavel.api.wire.ServerStatus;
import dev.gavel.engine.parse.Diagnostic;
import io.javalin.http.Context;

/** Status, readiness and liveness: what is served, what is newest, and why the newest is not served. */
final class StatusRoutes {
  private final SnapshotService snapshots;

  StatusRoutes(SnapshotService snapshots) {
    this.snapshots = snapshots;
  }

  void healthz(Context ctx) {
    Json.ok(ctx, new Health("ok"));
  }

  void readyz(Context ctx) {
    SnapshotService.Status s = snapshots.status();
    Json.send(ctx, s.ready() ? 200 : 503, body(s));
  }

  void status(Context ctx) {
    Caller caller = Caller.of(ctx);
    Json.ok(ctx, body(snapshots.status(), d -> d.file().isEmpty() || caller.canSeeFile(d.file())));
  }

  static ServerStatus body(SnapshotService.Status s) {
    return body(s, d -> true);
  }

  /** @param visible which diagnostics to show: a tenant-limited caller does not see other tenants' files */
  static ServerStatus body(SnapshotService.Status s, java.util.function.Predicate<Diagnostic> visible) {
    return new ServerStatus(s.ready(), s.upToDate(), s.branch(), s.head(),
        new ServerStatus.Served(s.served(), s.servedSince()),
        new ServerStatus.Newest(s.newest(), s.newestCompiled(),
            DiagnosticBody.of(s.newestDiagnostics().stream().filter(visible).toList())));
  }
}
