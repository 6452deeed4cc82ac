package dev.gavel.store.git;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A commit on the served branch's first-parent line.
 *
 * @param id full 40-hex commit id
 * @param parents parent ids, first parent first (two or more for a merge)
 * @param time author time
 * @param message the full message
 * @param changes files changed compared with the first parent (all files added for a root commit)
 */
public record CommitInfo(
        String id, List<String> parents, Author author, Instant time, String message, List<FileChange> changes) {
    public CommitInfo {
        parents = List.copyOf(parents);
        changes = List.copyOf(changes);
    }

    /** The first line of the message. */
    public String subject() {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    public Optional<String> firstParent() {
        return parents.isEmpty() ? Optional.empty() : Optional.of(parents.get(0));
    }

    public boolean isMerge() {
        return parents.size() > 1;
    }
}
