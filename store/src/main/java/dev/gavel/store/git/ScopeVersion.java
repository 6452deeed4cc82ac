package dev.gavel.store.git;

import java.util.List;

/**
 * Version {@code number} (1-based) of a scope: the number-th commit on the first-parent line that changed a file
 * directly in the scope's directory.
 *
 * @param changes the scope's direct files that commit changed
 */
public record ScopeVersion(String scope, int number, CommitInfo commit, List<FileChange> changes) {
    public ScopeVersion {
        changes = List.copyOf(changes);
    }
}
