package dev.gavel.store.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packs the repository (JGit gc) in the background every {@code packEvery} writes or fetches: each write leaves
 * loose objects and each fetch a pack, and reads slow down as they pile up. At most one pack runs at a time.
 */
final class RepositoryPacker {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryPacker.class);

    private final Repository repo;
    /** 0 = never pack automatically. */
    private final int packEvery;

    private final AtomicInteger writtenSincePack = new AtomicInteger();
    private final AtomicBoolean packing = new AtomicBoolean();
    private final ExecutorService packer = DaemonExecutors.single("gavel-git-pack");

    RepositoryPacker(Repository repo, int packEvery) {
        this.repo = repo;
        this.packEvery = packEvery;
    }

    /** Counts one write (or a fetch that brought objects); starts a background pack when enough have piled up. */
    void countWrite() {
        if (packEvery > 0 && writtenSincePack.incrementAndGet() >= packEvery) {
            writtenSincePack.set(0);
            if (packing.compareAndSet(false, true)) {
                DaemonExecutors.submit(packer, () -> {
                    try {
                        packNow();
                    } catch (RuntimeException e) {
                        LOG.warn("background pack failed: {}", e.toString());
                    } finally {
                        packing.set(false);
                    }
                });
            }
        }
    }

    /** See {@link GitPolicyRepository#packNow()}. */
    void packNow() {
        try {
            Git.wrap(repo).gc().call();
        } catch (GitAPIException e) {
            throw new UncheckedIOException(new IOException("packing failed: " + e.getMessage(), e));
        }
    }

    /** Takes no new packs; one already running goes on (see {@link #awaitTermination()}). */
    void shutdown() {
        packer.shutdown();
    }

    /** Waits for a running pack: closing the repository under it would leave a half-written pack behind. */
    void awaitTermination() throws InterruptedException {
        packer.awaitTermination(120, TimeUnit.SECONDS);
    }
}
