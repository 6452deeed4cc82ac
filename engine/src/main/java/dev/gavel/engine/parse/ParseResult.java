package dev.gavel.engine.parse;

import java.util.List;
import java.util.Optional;

/** The outcome of parsing one file: a value (maybe with warnings) or the reasons it is invalid. */
public sealed interface ParseResult<T> {

    /** Errors and warnings, sorted by position. */
    List<Diagnostic> diagnostics();

    default boolean isValid() {
        return this instanceof Parsed;
    }

    default Optional<T> valueIfValid() {
        return this instanceof Parsed<T> p ? Optional.of(p.value()) : Optional.empty();
    }

    /** The file parsed; {@code warnings} are advice that does not make it invalid. */
    record Parsed<T>(T value, List<Diagnostic> warnings) implements ParseResult<T> {
        public Parsed {
            warnings = List.copyOf(warnings);
        }

        @Override
        public List<Diagnostic> diagnostics() {
            return warnings;
        }
    }

    /** The file is invalid; at least one diagnostic is an error. */
    record Invalid<T>(List<Diagnostic> diagnostics) implements ParseResult<T> {
        public Invalid {
            diagnostics = List.copyOf(diagnostics);
        }

        public List<Diagnostic> errors() {
            return diagnostics.stream().filter(Diagnostic::isError).toList();
        }
    }
}
