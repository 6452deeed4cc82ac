package dev.gavel.store.git;

import java.util.List;
import java.util.Optional;

/**
 * A page of the first-parent line, newest first.
 *
 * @param total the number of commits on the line
 * @param nextCursor the id of the last commit on this page when more follow (pass to {@code commitsAfter})
 */
public record CommitPage(List<CommitInfo> commits, int total, Optional<String> nextCursor) {
    public CommitPage {
        commits = List.copyOf(commits);
    }

    public boolean hasMore() {
        return nextCursor.isPresent();
    }
}
