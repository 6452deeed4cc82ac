package dev.gavel.store.git;

import java.util.List;

/** A commit with the per-file diff against its first parent. */
public record CommitDetails(CommitInfo commit, List<FileDiff> files) {
    public CommitDetails {
        files = List.copyOf(files);
    }
}
