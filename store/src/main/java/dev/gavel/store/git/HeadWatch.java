package dev.gavel.store.git;

import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/** A listener told of every move of the served branch; {@link #close()} stops it. */
public final class HeadWatch implements AutoCloseable {
    private final BranchWatcher watcher;
    private final Consumer<HeadChange> listener;
    private volatile Optional<String> lastSeen;
    private volatile ScheduledFuture<?> polling;

    HeadWatch(BranchWatcher watcher, Consumer<HeadChange> listener, Optional<String> lastSeen) {
        this.watcher = watcher;
        this.listener = listener;
        this.lastSeen = lastSeen;
    }

    void polling(ScheduledFuture<?> future) {
        this.polling = future;
    }

    /** Called under the watcher's notification lock, so changes arrive one at a time and in order. */
    HeadChange changeTo(Optional<String> current) {
        if (current.equals(lastSeen)) {
            return null;
        }
        HeadChange change = new HeadChange(lastSeen, current);
        lastSeen = current;
        return change;
    }

    Consumer<HeadChange> listener() {
        return listener;
    }

    @Override
    public void close() {
        ScheduledFuture<?> f = polling;
        if (f != null) {
            f.cancel(false);
        }
        watcher.remove(this);
    }
}
