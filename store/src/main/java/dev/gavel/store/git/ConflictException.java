package dev.gavel.store.git;

import java.util.List;
import java.util.Optional;

/**
 * A write lost to another change: files it touches were changed since the head it was based on (HTTP 409/412).
 *
 * @see GitPolicyRepository#commit
 */
public final class ConflictException extends GitStoreException {
    private final List<String> paths;
    private final Optional<String> expectedHead;
    private final Optional<String> actualHead;

    ConflictException(String message, List<String> paths, Optional<String> expectedHead, Optional<String> actualHead) {
        super(message);
        this.paths = List.copyOf(paths);
        this.expectedHead = expectedHead;
        this.actualHead = actualHead;
    }

    /** The files that changed under the writer. */
    public List<String> paths() {
        return paths;
    }

    /** The head the writer based its change on. */
    public Optional<String> expectedHead() {
        return expectedHead;
    }

    /** The head it found instead. */
    public Optional<String> actualHead() {
        return actualHead;
    }
}
