package dev.gavel.engine.parse;

import java.util.Comparator;

/**
 * A problem found in a file.
 *
 * @param line    1-based
 * @param column  1-based
 * @param field   the field path, e.g. {@code spec.rules[1].effect}; empty for the document as a whole
 * @param message for a person, starting with the field path: {@code spec.enforcement: 'blok' is not one of ...}
 */
public record Diagnostic(String file, int line, int column, Severity severity, String field, String message) {

    public static final Comparator<Diagnostic> BY_POSITION = Comparator.comparing(Diagnostic::file)
            .thenComparingInt(Diagnostic::line)
            .thenComparingInt(Diagnostic::column)
            .thenComparing(Diagnostic::message);

    public Diagnostic {
        file = file == null ? "" : file;
        line = Math.max(1, line);
        column = Math.max(1, column);
        severity = severity == null ? Severity.ERROR : severity;
        field = field == null ? "" : field;
        message = message == null ? "" : message;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The compiler-style one-liner: {@code file:line:col: error: message}. */
    public String format() {
        return file + ":" + line + ":" + column + ": " + severity.label() + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
