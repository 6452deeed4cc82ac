package dev.gavel.store.git;

import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * The Git mechanics of a clone that follows a remote: fetch (the served branch and Gavel's shared refs), push with
 * compare-and-swap on the remote ref, bounded backoff between lost races, and what was last seen of the remote.
 * The remote is the source of truth: a local ref moves only to what the remote holds (after a fetch, or after the
 * remote accepted a push), so the clone is never ahead of it.
 *
 * <p>Callers serialize fetches and pushes (the repository's write lock).
 */
final class RemoteBranch {
    static final String ORIGIN = "origin";
    /** Refs Gavel keeps next to the branch on the same remote (e.g. {@code refs/gavel/keys}). */
    static final String SHARED_REFS = "refs/gavel/";
    /**
     * How long a write keeps retrying lost races before it gives up with 503. A bound in time, not in attempts:
     * on a loaded machine one replica can lose many races in a row (3 x 50 concurrent writers lost 60 in a row
     * here), and it is the time a client waits that matters.
     */
    static final Duration MAX_RETRYING = Duration.ofSeconds(30);

    private static final int TIMEOUT_SECONDS = 10;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    /** How a compare-and-swap push ended. */
    enum Push {
        /** The remote ref now holds the new commit (and so does the local one). */
        DONE,
        /** The remote ref was not at the expected id: fetch and try again on the new head. */
        LOST_RACE
    }

    private final Repository repo;
    private final String branchRef;
    private final String url;
    /** Moving average of a push's duration (ms): what a lost race waits is measured in pushes (see backoff). */
    private volatile double pushMillis = 20;

    private volatile RemoteStatus status;

    RemoteBranch(Repository repo, String branchRef) {
        this.repo = repo;
        this.branchRef = branchRef;
        this.url = safeUrl(repo.getConfig().getString("remote", ORIGIN, "url"));
        this.status = new RemoteStatus(url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        // JGit would run a gc inside a fetch once 50 packs pile up (one per fetch), holding up writes: the repository
        // packs in the background instead (GitPolicyRepository counts fetches like writes).
        repo.getConfig().setInt("gc", null, "auto", 0);
        repo.getConfig().setInt("gc", null, "autopacklimit", 0);
    }

    RemoteStatus status() {
        return status;
    }

    /**
     * Fetches the served branch and the shared refs into the same local names (forced: the remote is the truth).
     *
     * @return whether any local ref moved (new objects arrived)
     * @throws RemoteUnavailableException the remote did not answer; the local refs are as they were
     */
    boolean fetch() {
        try {
            FetchResult r = Git.wrap(repo)
                    .fetch()
                    .setRemote(ORIGIN)
                    .setTimeout(TIMEOUT_SECONDS)
                    .setRefSpecs(
                            new RefSpec("+" + branchRef + ":" + branchRef),
                            new RefSpec("+" + SHARED_REFS + "*:" + SHARED_REFS + "*"))
                    .call();
            Ref advertised = r.getAdvertisedRef(branchRef);
            status = new RemoteStatus(
                    url,
                    Optional.ofNullable(advertised).map(a -> a.getObjectId().name()),
                    Optional.of(Instant.now()),
                    Optional.empty(),
                    Optional.empty());
            return !r.getTrackingRefUpdates().isEmpty();
        } catch (GitAPIException | JGitInternalException e) {
            throw unavailable("fetching " + branchRef + " from " + url + " failed: " + e.getMessage());
        }
    }

    /**
     * Pushes {@code commit} to {@code ref} on the remote only if the remote ref is still {@code expected} (null = must
     * not exist), then moves the local ref to it.
     *
     * @throws RemoteUnavailableException the remote did not answer (the local ref is untouched)
     * @throws IOException the remote refused the push for another reason than a moved ref (a hook, permissions)
     */
    Push push(String ref, ObjectId expected, ObjectId commit) throws IOException {
        ObjectId old = expected == null ? ObjectId.zeroId() : expected;
        RemoteRefUpdate.Status result;
        String message;
        long started = System.nanoTime();
        try (Transport t = Transport.open(repo, ORIGIN)) {
            t.setTimeout(TIMEOUT_SECONDS);
            RemoteRefUpdate u = new RemoteRefUpdate(repo, commit.name(), ref, false, null, old);
            PushResult pushed = t.push(NullProgressMonitor.INSTANCE, List.of(u));
            RemoteRefUpdate done = pushed.getRemoteUpdate(ref);
            result = done.getStatus();
            message = done.getMessage();
            pushMillis = 0.8 * pushMillis + 0.2 * ((System.nanoTime() - started) / 1e6);
        } catch (org.eclipse.jgit.errors.TransportException | URISyntaxException e) {
            throw unavailable("pushing to " + url + " failed: " + e.getMessage());
        }
        switch (result) {
            case OK -> {
                RefUpdate local = repo.updateRef(ref);
                local.setNewObjectId(commit);
                local.setForceUpdate(true); // the remote has it now: mirror it
                local.update();
                if (ref.equals(branchRef)) {
                    RemoteStatus s = status;
                    status = new RemoteStatus(
                            url, Optional.of(commit.name()), s.lastFetch(), Optional.empty(), Optional.empty());
                }
                return Push.DONE;
            }
            // UP_TO_DATE: another replica pushed the byte-identical commit (same parent, tree, author, second and
            // message: two identical requests at once). Its write is there, not ours: the caller rebases and finds its
            // paths changed (409/412), so two callers are never both told they made the one change.
            case UP_TO_DATE, REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                return Push.LOST_RACE;
            }
            case REJECTED_OTHER_REASON -> {
                // receive-pack checks the old id under its ref lock: a push that raced ours after the refs were
                // advertised
                // surfaces here ("cannot lock ref", "failed to update ref"). It is a race when the ref really moved.
                if (!old.equals(remoteRef(ref))) {
                    return Push.LOST_RACE;
                }
                throw new IOException(
                        "the remote refused the push to " + ref + (message == null ? "" : ": " + message));
            }
            default ->
                throw new IOException("the remote refused the push to " + ref + ": " + result
                        + (message == null ? "" : " (" + message + ")"));
        }
    }

    /**
     * Waits before the next attempt after a lost race: random, about one to three pushes long (a moving average of
     * this replica's pushes) and growing with the attempt, at most 250 ms. Shorter waits (up to 10 ms on a first
     * loss) retried while the winner was still pushing its next group, and lost again: about one lost race per write
     * with three replicas writing at once (FleetFigures). Writes that arrive meanwhile join this replica's next
     * group, so a longer wait also means fewer pushes per write.
     *
     * @param startedNanos {@link System#nanoTime()} of the write's first attempt
     * @throws RemoteUnavailableException after {@link #MAX_RETRYING} of lost races (the branch keeps moving)
     */
    void backoff(int attempt, long startedNanos) {
        if (System.nanoTime() - startedNanos > MAX_RETRYING.toNanos()) {
            throw new RemoteUnavailableException(
                    "the remote branch kept moving: " + attempt + " pushes lost the race in " + MAX_RETRYING.toSeconds()
                            + " s; nothing was written",
                    RETRY_AFTER);
        }
        long push = Math.max(5, Math.round(pushMillis));
        long bound = Math.min(250, push * (1 + Math.min(attempt, 3)));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(push / 2, bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteUnavailableException("interrupted while retrying a push", RETRY_AFTER);
        }
    }

    /** The remote's id of {@code ref} now (zero when absent). */
    private ObjectId remoteRef(String ref) {
        try (Transport t = Transport.open(repo, ORIGIN);
                FetchConnection c = t.openFetch()) {
            Ref r = c.getRef(ref);
            return r == null ? ObjectId.zeroId() : r.getObjectId();
        } catch (org.eclipse.jgit.errors.TransportException | URISyntaxException e) {
            throw unavailable("reading " + ref + " on " + url + " failed: " + e.getMessage());
        } catch (org.eclipse.jgit.errors.NotSupportedException e) {
            throw unavailable("reading " + ref + " on " + url + " failed: " + e.getMessage());
        }
    }

    private RemoteUnavailableException unavailable(String message) {
        RemoteStatus s = status;
        status = new RemoteStatus(
                url,
                s.remoteHead(),
                s.lastFetch(),
                Optional.of(message),
                Optional.of(s.unreachableSince().orElse(Instant.now())));
        return new RemoteUnavailableException(message, RETRY_AFTER);
    }

    private static String safeUrl(String url) {
        if (url == null) {
            return "origin";
        }
        try {
            return new URIish(url).setUser(null).setPass(null).toString();
        } catch (URISyntaxException e) {
            return "origin";
        }
    }
}
