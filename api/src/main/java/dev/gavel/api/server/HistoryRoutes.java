package dev.gavel.api.server;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
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
        List<History.Version> data = new ArrayList<>();
        for (ScopeVersion v : repository.versions(scope.dotted())) {
            data.add(version(v.number(), v.commit(), History.Change.of(v.changes(), caller::canSeeFile), caller));
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
            data.add(version(number--, c, History.Change.of(c.changes(), p -> p.equals(file)), caller));
        }
        Json.ok(ctx, new History.VersionList(scope.dotted(), name, file, repository.head(), data));
    }

    private static History.Version version(int number, CommitInfo c, List<History.Change> changes, Caller caller) {
        return new History.Version(
                number,
                c.id(),
                Author.of(c.author()),
                c.time(),
                hidesMessage(c, caller) ? HIDDEN_MESSAGE : c.message(),
                changes);
    }

    static final String HIDDEN_MESSAGE = "(hidden: this commit also changed scopes outside this token's tenants)";

    /** A tenant-limited caller does not read the message of a commit that also changed other tenants' files. */
    private static boolean hidesMessage(CommitInfo c, Caller caller) {
        return caller.isLimited() && !c.changes().stream().allMatch(f -> caller.canSeeFile(f.path()));
    }

    void commits(Context ctx) {
        Caller caller = Caller.of(ctx);
        int limit = Math.min(
                PolicyReads.MAX_LIMIT,
                RequestInput.intQuery(ctx, "limit", 1, Integer.MAX_VALUE).orElse(PolicyReads.DEFAULT_LIMIT));
        Optional<String> cursor = Optional.ofNullable(ctx.queryParam("cursor"))
                .map(String::strip)
                .filter(c -> !c.isEmpty())
                .map(c -> RequestInput.revision("cursor", c));
        if (!caller.isLimited()) {
            CommitPage page = page(cursor, limit);
            List<History.Commit> data = page.commits().stream()
                    .map(c -> History.Commit.of(c, f -> true))
                    .toList();
            Json.ok(
                    ctx,
                    new History.CommitList(
                            data,
                            new History.CommitList.CommitPage(
                                    page.hasMore(), page.nextCursor(), Optional.of(page.total()))));
            return;
        }
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
        List<History.Commit> data =
                visible.stream().map(c -> commitFor(c, caller)).toList();
        Optional<String> next =
                more ? Optional.of(visible.get(visible.size() - 1).id()) : Optional.empty();
        Json.ok(ctx, new History.CommitList(data, new History.CommitList.CommitPage(more, next, Optional.empty())));
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
     * A commit as the caller may see it; for a tenant-limited caller only its visible files, no parents
     * (they may be other tenants' commits), and its message hidden when it also changed other files.
     */
    private static History.Commit commitFor(CommitInfo c, Caller caller) {
        History.Commit all = History.Commit.of(c, caller::canSeeFile);
        if (!caller.isLimited()) {
            return all;
        }
        boolean hide = hidesMessage(c, caller);
        return new History.Commit(
                all.commit(),
                List.of(),
                all.author(),
                all.time(),
                hide ? HIDDEN_MESSAGE : all.subject(),
                hide ? HIDDEN_MESSAGE : all.message(),
                all.changes());
    }

    void commit(Context ctx) {
        Caller caller = Caller.of(ctx);
        String sha = RequestInput.revision("sha", ctx.pathParam("sha"));
        CommitDetails d = repository.commitDetails(sha);
        List<FileDiff> visible =
                d.files().stream().filter(f -> caller.canSeeFile(f.path())).toList();
        if (caller.isLimited() && visible.isEmpty()) {
            throw ApiProblem.notFound("commit '" + sha + "' does not exist");
        }
        History.Commit c = commitFor(d.commit(), caller);
        List<History.FileDiff> files = visible.stream()
                .map(f -> new History.FileDiff(
                        f.path(),
                        f.kind().name().toLowerCase(Locale.ROOT),
                        f.oldContent().map(b -> new String(b, StandardCharsets.UTF_8)),
                        f.newContent().map(b -> new String(b, StandardCharsets.UTF_8)),
                        f.unifiedDiff()))
                .toList();
        Json.ok(
                ctx,
                new History.CommitDetails(
                        c.commit(), c.parents(), c.author(), c.time(), c.subject(), c.message(), c.changes(), files));
    }
}
