package dev.gavel.store.git;

import java.util.Optional;

/**
 * The outcome of a write.
 *
 * @param commitId the new head (equal to the previous head when {@code created} is false)
 * @param previousHead the head the commit was made on (empty for the first commit of a branch)
 * @param created false when the change set left the tree as it was (no commit made)
 * @param attempts how many compare-and-swap attempts it took (1 unless another writer moved the branch)
 */
public record CommitResult(String commitId, Optional<String> previousHead, boolean created, int attempts) {}
