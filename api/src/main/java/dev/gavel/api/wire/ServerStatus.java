package dev.gavel.api.wire;

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
    LogState evaluationLog) {

  /** Whether the evaluation log's writer commits, and its last error while it does not. */
  public record LogState(boolean writing, Optional<String> error) {}

  /** The commit served and since when. */
  public record Served(@Doc(pattern = Patterns.COMMIT) Optional<String> commit, Optional<Instant> since) {}

  /** The newest commit compiled and its diagnostics. */
  public record Newest(@Doc(pattern = Patterns.COMMIT) Optional<String> commit, Optional<Boolean> compiled,
      List<DiagnosticBody> diagnostics) {}
}
