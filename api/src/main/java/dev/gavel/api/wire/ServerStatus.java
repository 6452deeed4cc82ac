package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What is served, what is newest, and why the newest is not served. */
public record ServerStatus(
        boolean ready,
        boolean upToDate,
        String branch,
        @Doc(pattern = Patterns.COMMIT) Optional<String> head,
        Served served,
        Newest newest,
        LogState evaluationLog,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Remote> remote) {

    /**
     * A replica of a fleet: the remote head it last saw, when it last fetched, how far behind it is, and
     * whether it is past {@code --max-staleness} (then not ready). Absent when the repository is local.
     */
    public record Remote(
            String url,
            boolean reachable,
            @Doc(pattern = Patterns.COMMIT) Optional<String> head,
            Optional<Instant> lastFetch,
            Optional<Double> secondsSinceFetch,
            Optional<Instant> unreachableSince,
            Optional<String> lastError,
            int lagCommits,
            double lagSeconds,
            boolean stale,
            Optional<Double> maxStalenessSeconds) {}

    /** Whether the evaluation log's writer commits, and its last error while it does not. */
    public record LogState(boolean writing, Optional<String> error) {}

    /** The commit served and since when. */
    public record Served(@Doc(pattern = Patterns.COMMIT) Optional<String> commit, Optional<Instant> since) {}

    /** The newest commit compiled and its diagnostics. */
    public record Newest(
            @Doc(pattern = Patterns.COMMIT) Optional<String> commit,
            Optional<Boolean> compiled,
            List<DiagnosticBody> diagnostics) {}
}
