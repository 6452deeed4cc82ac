package dev.gavel.api.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.store.git.CommitDetails;
import dev.gavel.store.git.CommitInfo;
import dev.gavel.store.git.CommitPage;
import dev.gavel.store.git.FileDiff;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.ScopeVersion;
import dev.gavel.store.git.UnknownRevisionException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** History: versions of a scope and of a policy, the commit list, one commit with its diff. */
final class HistoryRoutes {
  private final GitPolicyRepository repository;

  HistoryRoutes(GitPolicyRepository repository) {
    this.repository = repository;
  }

  void scopeHistory(Context ctx) {
    ScopePath scope = RequestInput.scope(ctx);
    Caller caller = Caller.of(ctx);
    caller.requireVisible(scope);
    ObjectNode out = Json.object();
    out.put("scope", scope.dotted());
    out.put("head", repository.head().orElse(null));
    ArrayNode data = out.putArray("data");
    for (ScopeVersion v : repository.versions(scope.dotted())) {
      ObjectNode n = version(v.number(), v.commit(), caller);
      n.set("changes", PolicyJson.changes(v.changes(), caller::canSeeFile));
      data.add(n);
    }
    Json.ok(ctx, out);
  }

  void policyHistory(Context ctx) {
    ScopePath scope = RequestInput.scope(ctx);
    String name = RequestInput.name(ctx);
    Caller caller = Caller.of(ctx);
    caller.requireVisible(scope);
    String file = new PolicyPath(scope, name).path();
    List<CommitInfo> commits = repository.history(file);
    if (commits.isEmpty()) {
      throw ApiProblem.notFound("policy '" + name + "' at scope '" + scope.url() + "' has no history");
    }
    ObjectNode out = Json.object();
    out.put("scope", scope.dotted());
    out.put("name", name);
    out.put("file", file);
    out.put("head", repository.head().orElse(null));
    ArrayNode data = out.putArray("data");
    int number = commits.size();
    for (CommitInfo c : commits) {
      ObjectNode n = version(number--, c, caller);
      n.set("changes", PolicyJson.changes(c.changes(), p -> p.equals(file)));
      data.add(n);
    }
    Json.ok(ctx, out);
  }

  private static ObjectNode version(int number, CommitInfo c, Caller caller) {
    ObjectNode n = Json.object();
    n.put("version", number);
    n.put("commit", c.id());
    n.set("author", PolicyJson.author(c.author()));
    n.put("time", c.time().toString());
    n.put("message", c.message());
    return n;
  }

  void commits(Context ctx) {
    Caller caller = Caller.of(ctx);
    int limit = Math.min(PolicyReads.MAX_LIMIT,
        RequestInput.intQuery(ctx, "limit", 1, Integer.MAX_VALUE).orElse(PolicyReads.DEFAULT_LIMIT));
    String cursor = ctx.queryParam("cursor");
    CommitPage page;
    if (cursor == null || cursor.isBlank()) {
      page = repository.commits(0, limit);
    } else {
      String c = RequestInput.revision("cursor", cursor.strip());
      try {
        page = repository.commitsAfter(c, limit);
      } catch (UnknownRevisionException e) {
        throw ApiProblem.badRequest("invalid cursor", FieldError.of("cursor", e.getMessage()));
      }
    }
    ObjectNode out = Json.object();
    ArrayNode data = out.putArray("data");
    for (CommitInfo c : page.commits()) {
      // A tenant-limited caller sees commits that touched something it may see, and only those files.
      if (!caller.isLimited() || c.changes().stream().anyMatch(f -> caller.canSeeFile(f.path()))) {
        data.add(PolicyJson.commit(c, caller::canSeeFile));
      }
    }
    ObjectNode meta = out.putObject("meta");
    meta.put("hasMore", page.hasMore());
    meta.put("nextCursor", page.nextCursor().orElse(null));
    meta.put("total", page.total());
    Json.ok(ctx, out);
  }

  void commit(Context ctx) {
    Caller caller = Caller.of(ctx);
    String sha = RequestInput.revision("sha", ctx.pathParam("sha"));
    CommitDetails d = repository.commitDetails(sha);
    List<FileDiff> visible = d.files().stream().filter(f -> caller.canSeeFile(f.path())).toList();
    if (caller.isLimited() && visible.isEmpty()) {
      throw ApiProblem.notFound("commit '" + sha + "' does not exist");
    }
    ObjectNode out = PolicyJson.commit(d.commit(), caller::canSeeFile);
    ArrayNode files = out.putArray("files");
    for (FileDiff f : visible) {
      ObjectNode n = files.addObject();
      n.put("path", f.path());
      n.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
      n.put("before", f.oldContent().map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null));
      n.put("after", f.newContent().map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null));
      n.put("diff", f.unifiedDiff());
    }
    Json.ok(ctx, out);
  }
}
