package dev.gavel.api.server.eval;

import dev.gavel.store.log.LogSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how the server keeps its evaluation log.
 *
 * @param temporaryDirectory a directory created for this server alone, deleted on close (tests, demos)
 */
public record EvaluationSettings(LogSettings log, Optional<Path> temporaryDirectory) {
  public static EvaluationSettings of(LogSettings log) {
    return new EvaluationSettings(log, Optional.empty());
  }

  /** A log in a fresh temporary directory, removed when the server closes. */
  public static EvaluationSettings temporary() {
    try {
      Path dir = Files.createTempDirectory("gavel-evaluations");
      return new EvaluationSettings(LogSettings.defaults(dir.resolve("evaluations.db")), Optional.of(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
