package dev.gavel.engine.snapshot;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The snapshot being served and the newest compile outcome. A rejected commit never replaces the
 * served snapshot; readers get the current one without a lock.
 */
public final class ServedSnapshot {
    private final AtomicReference<PolicySnapshot> served = new AtomicReference<>();
    private final AtomicReference<CompileResult> newest = new AtomicReference<>();

    /**
     * Records a compile outcome; serves it when it compiled.
     *
     * @return true when the served snapshot changed
     */
    public boolean offer(CompileResult result) {
        newest.set(result);
        if (result instanceof CompileResult.Compiled ok) {
            PolicySnapshot before = served.getAndSet(ok.snapshot());
            if (before != null && before != ok.snapshot()) {
                retire(before, ok.snapshot());
            }
            return true;
        }
        return false;
    }

    /**
     * Disposes the reused sessions of the partitions the new snapshot no longer shares (NOTES.md: a
     * session never disposed is kept by its knowledge base). An evaluation still running on the old
     * snapshot finishes normally and disposes its session itself.
     */
    private static void retire(PolicySnapshot before, PolicySnapshot after) {
        java.util.Set<dev.gavel.engine.compile.CompiledPartition> kept =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        kept.addAll(after.partitions().values());
        before.partitions().values().stream()
                .filter(p -> !kept.contains(p))
                .forEach(dev.gavel.engine.compile.CompiledPartition::close);
    }

    /** The snapshot to answer from; empty until a first commit compiled. */
    public Optional<PolicySnapshot> current() {
        return Optional.ofNullable(served.get());
    }

    /** The newest outcome, which may be a rejection while an older snapshot is served. */
    public Optional<CompileResult> newest() {
        return Optional.ofNullable(newest.get());
    }
}
