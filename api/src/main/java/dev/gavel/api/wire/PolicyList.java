package dev.gavel.api.wire;

import java.util.List;
import java.util.Optional;

/** A page of the policy list. */
public record PolicyList(List<PolicySummary> data, PolicyPage meta) {
    /** The page: is there more, the cursor of the next page, the total of all pages. */
    public record PolicyPage(
            boolean hasMore,
            Optional<String> nextCursor,
            int total,
            int limit,
            @Doc(pattern = Patterns.COMMIT) String commit) {}
}
