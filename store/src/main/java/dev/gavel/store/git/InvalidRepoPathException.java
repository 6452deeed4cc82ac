package dev.gavel.store.git;

import java.util.List;

/** Paths or scopes that may not be written or read; nothing was written. One problem per entry. */
public final class InvalidRepoPathException extends GitStoreException {
    private final List<String> problems;

    InvalidRepoPathException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
