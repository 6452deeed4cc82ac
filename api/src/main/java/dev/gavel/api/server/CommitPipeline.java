package dev.gavel.api.server;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.CommitResult;
import dev.gavel.store.git.ConflictException;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.RepoFiles;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one way the API writes: build the change against the head, compile the tree it would make (in
 * memory, reusing the served snapshot), refuse it with 422 when it does not compile, else commit it
 * with compare-and-swap on that head and wait until the new head is served.
 */
public final class CommitPipeline {
    static final int MAX_MESSAGE = 4096;

    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    private final Duration writeWait;

    CommitPipeline(GitPolicyRepository repository, SnapshotService snapshots, Duration writeWait) {
        this.repository = repository;
        this.snapshots = snapshots;
        this.writeWait = writeWait;
    }

    /** Builds the change from the files at head; throws an {@link ApiProblem} to refuse (nothing is written). */
    @FunctionalInterface
    public interface Change {
        ChangeSet build(SortedMap<String, byte[]> filesAtHead);
    }

    /**
     * @param ifMatchGiven whether the caller sent If-Match: a lost race is then 412, else 409
     */
    public CommitResult write(Context ctx, Caller caller, String defaultMessage, boolean ifMatchGiven, Change change) {
        String msg = message(ctx, defaultMessage);
        Optional<String> head = repository.head();
        RepoFiles atHead = head.map(repository::filesAt).orElse(new RepoFiles("", new TreeMap<>()));
        SortedMap<String, byte[]> files = atHead.files();
        ChangeSet changes = change.build(files);
        if (changes.isEmpty()) {
            return new CommitResult(head.orElse(null), head, false, 0);
        }
        Map<String, byte[]> wouldBe = new TreeMap<>(files);
        wouldBe.putAll(changes.puts());
        changes.deletes().forEach(wouldBe::remove);
        // An entry the head could not read (too large, a link) stays an error unless this change replaces it.
        Map<String, String> unreadable = new TreeMap<>(atHead.unreadable());
        unreadable.keySet().removeAll(changes.puts().keySet());
        unreadable.keySet().removeAll(changes.deletes());
        Optional<PolicySnapshot> compiledFrom = snapshots.current();
        CompileResult result = SnapshotCompiler.compile("uncommitted", wouldBe, unreadable, compiledFrom);
        if (result instanceof CompileResult.Rejected rejected) {
            List<Diagnostic> errors =
                    rejected.diagnostics().stream().filter(Diagnostic::isError).toList();
            // A tenant-limited caller is not told about other tenants' files, only that they do not compile.
            List<Diagnostic> shown = errors.stream()
                    .filter(d -> d.file().isEmpty() || caller.canSeeFile(d.file()))
                    .toList();
            throw ApiProblem.invalidPolicies(
                    "the change would leave the policies unable to compile; nothing was committed"
                            + (shown.size() < errors.size()
                                    ? " (" + (errors.size() - shown.size())
                                            + " errors are in files outside the token's tenants)"
                                    : ""),
                    shown);
        }
        CommitResult committed;
        try {
            committed = repository.commit(changes, caller.author(), msg, head);
        } catch (ConflictException e) {
            List<FieldError> errors = e.paths().stream()
                    .map(p -> FieldError.of(
                            "path",
                            p + " changed since "
                                    + head.map(SnapshotService::shortId).orElse("the start")))
                    .toList();
            if (ifMatchGiven) {
                throw new ApiProblem(
                        412,
                        "precondition-failed",
                        "Precondition failed",
                        "the policy changed since the ETag given in If-Match; read it again",
                        errors);
            }
            throw ApiProblem.conflict("another write changed the same files first; read them again and retry", errors);
        }
        if (committed.created()) {
            if (committed.previousHead().equals(head)) {
                snapshots.serveWritten(committed.commitId(), result, compiledFrom, writeWait);
            } else {
                // The commit was rebuilt on writes the validation did not see (a lost race, or a group commit
                // behind other writes): what was compiled lacks them, so compile what the branch holds.
                snapshots.catchUp(writeWait);
            }
        }
        if (committed.commitId() != null) {
            // The fence token: another replica given X-Gavel-Min-Commit with it answers from this commit or later.
            ctx.header(ReadFence.COMMIT_HEADER, committed.commitId());
            repository
                    .branchVersion(committed.commitId())
                    .ifPresent(v -> ctx.header(ReadFence.VERSION_HEADER, Integer.toString(v)));
        }
        return committed;
    }

    private static String message(Context ctx, String defaultMessage) {
        String m = RequestInput.utf8Header(ctx, "X-Gavel-Message");
        if (m == null || m.isBlank()) {
            return defaultMessage;
        }
        if (m.length() > MAX_MESSAGE || m.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            throw ApiProblem.badRequest(
                    "invalid commit message",
                    FieldError.of("X-Gavel-Message", "at most " + MAX_MESSAGE + " characters, no control characters"));
        }
        return m.strip();
    }
}
