package dev.gavel.api.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
    ObjectNode out = Json.object();
    out.put("status", "ok");
    Json.ok(ctx, out);
  }

  void readyz(Context ctx) {
    SnapshotService.Status s = snapshots.status();
    // Not ready while the log cannot write either: evaluations would all answer 503.
    boolean logWrites = logFailure.get().isEmpty();
    ObjectNode out = probe(s);
    out.put("ready", s.ready() && logWrites);
    out.putObject("evaluationLog").put("writing", logWrites);
    Json.send(ctx, s.ready() && logWrites ? 200 : 503, out);
  }

  /**
   * What an unauthenticated probe may learn: ready or not, the commits and how many diagnostics the
   * newest commit has. The diagnostics themselves (files, policy names, messages) only on the
   * authenticated status, filtered by the caller's tenants.
   */
  static ObjectNode probe(SnapshotService.Status s) {
    ObjectNode out = body(s, d -> false);
    ObjectNode newest = (ObjectNode) out.get("newest");
    newest.remove("diagnostics");
    newest.put("diagnosticCount", s.newestDiagnostics().size());
    return out;
  }

  void status(Context ctx) {
    Caller caller = Caller.of(ctx);
    ObjectNode out = body(snapshots.status(), d -> d.file().isEmpty() || caller.canSeeFile(d.file()));
    Optional<String> failure = logFailure.get();
    ObjectNode log = out.putObject("evaluationLog");
    log.put("writing", failure.isEmpty());
    log.put("error", failure.orElse(null));
    Json.ok(ctx, out);
  }

  static ObjectNode body(SnapshotService.Status s) {
    return body(s, d -> true);
  }

  /** @param visible which diagnostics to show: a tenant-limited caller does not see other tenants' files */
  static ObjectNode body(SnapshotService.Status s, java.util.function.Predicate<Diagnostic> visible) {
    ObjectNode out = Json.object();
    out.put("ready", s.ready());
    out.put("upToDate", s.upToDate());
    out.put("branch", s.branch());
    out.put("head", s.head().orElse(null));
    ObjectNode served = out.putObject("served");
    served.put("commit", s.served().orElse(null));
    served.put("since", s.servedSince().map(Object::toString).orElse(null));
    ObjectNode newest = out.putObject("newest");
    newest.put("commit", s.newest().orElse(null));
    newest.put("compiled", s.newestCompiled().orElse(null));
    newest.set("diagnostics", PolicyJson.diagnostics(s.newestDiagnostics().stream().filter(visible).toList()));
    return out;
  }
}
