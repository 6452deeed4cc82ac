package dev.gavel.api.wire;

import java.util.Optional;

/**
 * What an unauthenticated probe learns: ready or not, the commits, how many diagnostics the newest
 * commit has (not which: files and messages are for authenticated callers), and whether the
 * evaluation log writes.
 */
public record Readiness(
        boolean ready,
        boolean upToDate,
        String branch,
        @Doc(pattern = Patterns.COMMIT) Optional<String> head,
        ServerStatus.Served served,
        NewestCount newest,
        LogWriting evaluationLog) {

    /** The newest commit compiled and how many diagnostics it has. */
    public record NewestCount(
            @Doc(pattern = Patterns.COMMIT) Optional<String> commit, Optional<Boolean> compiled, int diagnosticCount) {}

    /** Whether the evaluation log's writer commits; while it does not, evaluations answer 503. */
    public record LogWriting(boolean writing) {}
}
