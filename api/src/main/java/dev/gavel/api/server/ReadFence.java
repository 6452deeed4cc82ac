package dev.gavel.api.server;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.RemoteUnavailableException;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Read-your-writes across replicas: a request carrying {@code X-Gavel-Min-Commit: <sha>} (the {@code X-Gavel-Commit}
 * of a write's answer) is answered only once this replica serves that commit or a descendant of it. It fetches
 * at once when the commit is unknown and waits up to a bound for the compile; then 503 with Retry-After when the
 * commit has not arrived, or 409 when the commit is known but not on the served branch. Also marks the answers of a
 * stale replica ({@code X-Gavel-Stale}).
 */
final class ReadFence {
    static final String MIN_COMMIT_HEADER = "X-Gavel-Min-Commit";
    static final String COMMIT_HEADER = "X-Gavel-Commit";
    /** The write's branch version: {@code X-Gavel-Min-Commit: v<N>} fences on it like on the commit id. */
    static final String VERSION_HEADER = "X-Gavel-Version";

    private static final Pattern VERSION = Pattern.compile("v([1-9][0-9]{0,8})");
    static final String STALE_HEADER = "X-Gavel-Stale";
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,40}");
    private static final long STEP_MS = 20;
    private static final long REFETCH_MS = 250;

    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    private final Duration wait;

    ReadFence(GitPolicyRepository repository, SnapshotService snapshots, Duration wait) {
        this.repository = repository;
        this.snapshots = snapshots;
        this.wait = wait;
    }

    /** Returns once the served commit contains the requested one; throws the 400/409/503 problem otherwise. */
    void await(Context ctx) {
        String min = ctx.header(MIN_COMMIT_HEADER);
        if (min == null) {
            return;
        }
        String want = min.strip().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher version = VERSION.matcher(want);
        if (version.matches()) {
            awaitVersion(ctx, Integer.parseInt(version.group(1)));
            return;
        }
        if (!SHA.matcher(want).matches()) {
            throw ApiProblem.badRequest(
                    "invalid " + MIN_COMMIT_HEADER,
                    FieldError.of(MIN_COMMIT_HEADER, "a commit id (7 to 40 hex digits) or a branch version (v<N>)"));
        }
        long deadline = System.nanoTime() + wait.toNanos();
        long nextFetch = System.nanoTime();
        while (true) {
            boolean known = repository.hasCommit(want);
            Optional<String> served = snapshots.current().map(PolicySnapshot::commit);
            if (known && served.isPresent() && repository.isAncestor(want, served.get())) {
                return;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            Optional<String> head = repository.head();
            boolean onBranch = known && head.isPresent() && repository.isAncestor(want, head.get());
            if (!onBranch && now - nextFetch >= 0) {
                nextFetch = now + REFETCH_MS * 1_000_000;
                try {
                    snapshots.refreshNow(); // fetches; a new head is compiled through the watch
                } catch (RemoteUnavailableException | java.io.UncheckedIOException e) {
                    break;
                }
            } else if (onBranch) {
                head.ifPresent(snapshots::submit);
            }
            try {
                Thread.sleep(STEP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Optional<String> head = repository.head();
        if (repository.hasCommit(want) && head.isPresent() && !repository.isAncestor(want, head.get())) {
            throw ApiProblem.conflict(
                    "commit " + want + " is not on branch " + repository.branch()
                            + " (rewritten or from another branch): this replica cannot answer from it or a descendant",
                    List.of(FieldError.of(MIN_COMMIT_HEADER, "not on the served branch")));
        }
        ctx.header("Retry-After", "1");
        throw ApiProblem.unavailable("this replica does not serve commit " + want + " or a descendant yet (waited "
                + wait.toMillis() + " ms); retry, or ask another replica");
    }

    /** Returns once the served commit's branch version is at least {@code want}; 503 after the wait. */
    private void awaitVersion(Context ctx, int want) {
        long deadline = System.nanoTime() + wait.toNanos();
        long nextFetch = System.nanoTime();
        while (true) {
            Optional<String> served = snapshots.current().map(PolicySnapshot::commit);
            if (served.isPresent() && repository.branchVersion(served.get()).orElse(0) >= want) {
                return;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            Optional<String> head = repository.head();
            if (head.isPresent() && repository.branchVersion(head.get()).orElse(0) >= want) {
                snapshots.submit(head.get()); // known here: wait for its compile
            } else if (now - nextFetch >= 0) {
                nextFetch = now + REFETCH_MS * 1_000_000;
                try {
                    snapshots.refreshNow();
                } catch (RemoteUnavailableException | java.io.UncheckedIOException e) {
                    break;
                }
            }
            try {
                Thread.sleep(STEP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ctx.header("Retry-After", "1");
        throw ApiProblem.unavailable("this replica does not serve branch version " + want + " or later yet (waited "
                + wait.toMillis() + " ms); retry, or ask another replica");
    }

    /** Says so in the headers when this replica is past --max-staleness (it still answers from its last snapshot). */
    void markStale(Context ctx) {
        snapshots
                .staleRemote()
                .ifPresent(r -> ctx.header(
                        STALE_HEADER,
                        "last-fetch="
                                + r.lastFetch().map(Object::toString).orElse("never")
                                + r.unreachableSince()
                                        .map(t -> "; unreachable-since=" + t)
                                        .orElse("")));
    }
}
