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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
    boolean hidden = caller.isLimited() && !c.changes().stream().allMatch(f -> caller.canSeeFile(f.path()));
    n.put("message", hidden ? HIDDEN_MESSAGE : c.message());
    return n;
  }

  void commits(Context ctx) {
    Caller caller = Caller.of(ctx);
    int limit = Math.min(PolicyReads.MAX_LIMIT,
        RequestInput.intQuery(ctx, "limit", 1, Integer.MAX_VALUE).orElse(PolicyReads.DEFAULT_LIMIT));
    Optional<String> cursor = Optional.ofNullable(ctx.queryParam("cursor")).map(String::strip).filter(c -> !c.isEmpty())
        .map(c -> RequestInput.revision("cursor", c));
    ObjectNode out = Json.object();
    ArrayNode data = out.putArray("data");
    ObjectNode meta = Json.object();
    if (!caller.isLimited()) {
      CommitPage page = page(cursor, limit);
      page.commits().forEach(c -> data.add(PolicyJson.commit(c, f -> true)));
      meta.put("hasMore", page.hasMore());
      meta.put("nextCursor", page.nextCursor().orElse(null));
      meta.put("total", page.total());
    } else {
      // A tenant-limited caller sees the commits that touched something it may see, and nothing of the
      // others: not their ids (cursors are visible commits), not how many there are (no total).
      List<CommitInfo> visible = new ArrayList<>();
      boolean more = false;
      Optional<String> at = cursor;
      while (true) {
        CommitPage page = page(at, PolicyReads.MAX_LIMIT);
        for (CommitInfo c : page.commits()) {
          if (c.changes().stream().anyMatch(f -> caller.canSeeFile(f.path()))) {
            if (visible.size() == limit) {
              more = true;
              break;
            }
            visible.add(c);
          }
        }
        if (more || !page.hasMore()) {
          break;
        }
        at = page.nextCursor();
      }
      visible.forEach(c -> data.add(commitFor(c, caller)));
      meta.put("hasMore", more);
      meta.put("nextCursor", more ? visible.get(visible.size() - 1).id() : null);
      meta.putNull("total");
    }
    out.set("meta", meta);
    Json.ok(ctx, out);
  }

  private CommitPage page(Optional<String> cursor, int limit) {
    if (cursor.isEmpty()) {
      return repository.commits(0, limit);
    }
    try {
      return repository.commitsAfter(cursor.get(), limit);
    } catch (UnknownRevisionException e) {
      throw ApiProblem.badRequest("invalid cursor", FieldError.of("cursor", e.getMessage()));
    }
  }

  /**
   * A commit as a tenant-limited caller may see it: only its visible files, no parents (they may be
   * another tenant's commits), and its message hidden when it also changed files the caller cannot see.
   */
  private static ObjectNode commitFor(CommitInfo c, Caller caller) {
    ObjectNode n = PolicyJson.commit(c, caller::canSeeFile);
    if (!caller.isLimited()) {
      return n;
    }
    n.putArray("parents");
    if (!c.changes().stream().allMatch(f -> caller.canSeeFile(f.path()))) {
      n.put("subject", HIDDEN_MESSAGE);
      n.put("message", HIDDEN_MESSAGE);
    }
    return n;
  }

  static final String HIDDEN_MESSAGE = "(hidden: this commit also changed scopes outside this token's tenants)";

  void commit(Context ctx) {
    Caller caller = Caller.of(ctx);
    String sha = RequestInput.revision("sha", ctx.pathParam("sha"));
    CommitDetails d = repository.commitDetails(sha);
    List<FileDiff> visible = d.files().stream().filter(f -> caller.canSeeFile(f.path())).toList();
    if (caller.isLimited() && visible.isEmpty()) {
      throw ApiProblem.notFound("commit '" + sha + "' does not exist");
    }
    ObjectNode out = commitFor(d.commit(), caller);
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
