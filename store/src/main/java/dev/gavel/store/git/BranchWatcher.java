package dev.gavel.store.git;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the served branch: polls its ref (fetching first when it follows a remote) and tells each {@link
 * HeadWatch} of every move, whoever made it. Also where a move made by this process is reported ({@link
 * #headMoved()}), so the packer counts it and watchers hear of it without waiting for the next poll.
 */
final class BranchWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(BranchWatcher.class);

    private final ServedBranch branch;
    private final ScopeHistory history;
    private final RepositoryPacker packer;
    /** Held while telling watchers, so each sees the changes one at a time and in order. */
    private final Object notifyLock = new Object();

    private final List<HeadWatch> watches = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = DaemonExecutors.scheduled("gavel-git-watch");

    BranchWatcher(ServedBranch branch, ScopeHistory history, RepositoryPacker packer) {
        this.branch = branch;
        this.history = history;
        this.packer = packer;
    }

    /** See {@link GitPolicyRepository#watch(Duration, Consumer)}. */
    HeadWatch watch(Duration interval, Consumer<HeadChange> listener) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive");
        }
        Objects.requireNonNull(listener, "listener");
        HeadWatch w = new HeadWatch(this, listener, head());
        watches.add(w);
        long ms = Math.max(1, interval.toMillis());
        w.polling(poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS));
        return w;
    }

    void remove(HeadWatch w) {
        watches.remove(w);
    }

    /** Fetches (for a remote) and tells the watchers in the caller's thread. */
    void refresh() throws IOException {
        if (branch.isRemote()) {
            fetch();
        }
        notifyWatches();
    }

    /** Fetches the served branch from origin into the local branch ref (forced: the remote is the truth). */
    void fetch() throws IOException {
        branch.writeLock().lock(); // a fetch moves the ref: keep it out of a write's push-then-update
        try {
            if (branch.origin().fetch()) {
                headMoved(); // each fetch that brings objects leaves a pack: count it toward the next repack
            }
        } finally {
            branch.writeLock().unlock();
        }
    }

    /** The branch moved by this process's hand (a write or a fetch): count it for packing, tell the watchers soon. */
    void headMoved() {
        packer.countWrite();
        if (!watches.isEmpty()) {
            DaemonExecutors.submit(poller, () -> {
                try {
                    notifyWatches();
                } catch (RuntimeException e) {
                    LOG.warn("telling watchers of a new head failed: {}", e.toString());
                }
            });
        }
    }

    /** Stops every watch and takes no new polls. */
    void shutdown() {
        for (HeadWatch w : watches) {
            w.close();
        }
        poller.shutdown();
    }

    /** Waits for a poll or notification in progress, so none runs against a closed repository. */
    void awaitTermination() throws InterruptedException {
        poller.awaitTermination(30, TimeUnit.SECONDS);
    }

    private void poll() {
        try {
            RemoteBranch origin = branch.origin();
            boolean wasReachable = origin == null || origin.status().reachable();
            try {
                refresh();
                if (!wasReachable) {
                    LOG.info("the remote answers again; branch {} fetched", branch.name());
                }
            } catch (RemoteUnavailableException e) {
                if (wasReachable) { // once per outage, not once per poll
                    LOG.warn("{}; serving the last fetched head until it answers", e.getMessage());
                }
            }
        } catch (Exception e) {
            LOG.warn("checking branch {} for new commits failed: {}", branch.name(), e.toString());
        }
    }

    private void notifyWatches() {
        synchronized (notifyLock) {
            if (watches.isEmpty()) {
                return;
            }
            Optional<String> current = head();
            history.index(); // built before listeners run, so their history queries are quick
            for (HeadWatch w : watches) {
                HeadChange change = w.changeTo(current);
                if (change != null) {
                    try {
                        w.listener().accept(change);
                    } catch (RuntimeException e) {
                        LOG.warn("a head-change listener failed: {}", e.toString());
                    }
                }
            }
        }
    }

    private Optional<String> head() {
        return Optional.ofNullable(branch.readHead()).map(ObjectId::name);
    }
}
