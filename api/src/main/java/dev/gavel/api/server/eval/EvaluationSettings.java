package dev.gavel.api.server.eval;

import dev.gavel.store.log.EvaluationStore;
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
 * @param store a store given by the caller (an in-memory one in tests) instead of the SQLite log at {@code log}
 */
public record EvaluationSettings(LogSettings log, Optional<Path> temporaryDirectory, Optional<EvaluationStore> store) {
    public EvaluationSettings(LogSettings log, Optional<Path> temporaryDirectory) {
        this(log, temporaryDirectory, Optional.empty());
    }

    public static EvaluationSettings of(LogSettings log) {
        return new EvaluationSettings(log, Optional.empty());
    }

    /** Evaluations kept in {@code store} (its own durability), not in an SQLite log. */
    public static EvaluationSettings over(EvaluationStore store) {
        return new EvaluationSettings(LogSettings.defaults(Path.of("unused.db")), Optional.empty(), Optional.of(store));
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
