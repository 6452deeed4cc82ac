package dev.gavel.api.server;

import dev.gavel.api.http.RequestInput;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.wire.Author;
import dev.gavel.api.wire.History;
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
    List<History.Version> data = new ArrayList<>();
    for (ScopeVersion v : repository.versions(scope.dotted())) {
      data.add(version(v.number(), v.commit(), History.Change.of(v.changes(), caller::canSeeFile)));
    }
    Json.ok(ctx, new History.VersionList(scope.dotted(), null, null, repository.head(), data));
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
    List<History.Version> data = new ArrayList<>();
    int number = commits.size();
    for (CommitInfo c : commits) {
      data.add(version(number--, c, History.Change.of(c.changes(), p -> p.equals(file))));
    }
    Json.ok(ctx, new History.VersionList(scope.dotted(), name, file, repository.head(), data));
  }

  private static History.Version version(int number, CommitInfo c, List<History.Change> changes) {
    return new History.Version(number, c.id(), Author.of(c.author()), c.time(), c.message(), changes);
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
    List<History.Commit> data = new ArrayList<>();
    for (CommitInfo c : page.commits()) {
      // A tenant-limited caller sees commits that touched something it may see, and only those files.
      if (!caller.isLimited() || c.changes().stream().anyMatch(f -> caller.canSeeFile(f.path()))) {
        data.add(History.Commit.of(c, caller::canSeeFile));
      }
    }
    Json.ok(ctx, new History.CommitList(data,
        new History.CommitList.CommitPage(page.hasMore(), page.nextCursor(), page.total())));
  }

  void commit(Context ctx) {
    Caller caller = Caller.of(ctx);
    String sha = RequestInput.revision("sha", ctx.pathParam("sha"));
    CommitDetails d = repository.commitDetails(sha);
    List<FileDiff> visible = d.files().stream().filter(f -> caller.canSeeFile(f.path())).toList();
    if (caller.isLimited() && visible.isEmpty()) {
      throw ApiProblem.notFound("commit '" + sha + "' does not exist");
    }
    History.Commit c = History.Commit.of(d.commit(), caller::canSeeFile);
    List<History.FileDiff> files = visible.stream().map(f -> new History.FileDiff(f.path(),
        f.kind().name().toLowerCase(Locale.ROOT),
        f.oldContent().map(b -> new String(b, StandardCharsets.UTF_8)),
        f.newContent().map(b -> new String(b, StandardCharsets.UTF_8)), f.unifiedDiff())).toList();
    Json.ok(ctx, new History.CommitDetails(c.commit(), c.parents(), c.author(), c.time(), c.subject(), c.message(),
        c.changes(), files));
  }
}
