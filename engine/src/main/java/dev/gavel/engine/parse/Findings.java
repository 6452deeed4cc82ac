package dev.gavel.engine.parse;

import dev.gavel.engine.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/** Diagnostics collected while checking one file, positioned through its {@link YamlDocument}. */
final class Findings {
    private final String file;
    private final YamlDocument doc;
    private final List<Diagnostic> list = new ArrayList<>();

    Findings(String file, YamlDocument doc) {
        this.file = file == null ? "" : file;
        this.doc = doc;
    }

    void addAll(List<Diagnostic> diagnostics) {
        list.addAll(diagnostics);
    }

    /** An error about the file as a whole (its name or path), at line 1. */
    void fileError(String message) {
        list.add(new Diagnostic(file, 1, 1, Severity.ERROR, "", message));
    }

    void error(FieldPath at, String message) {
        add(at, false, Severity.ERROR, message);
    }

    void errorAtKey(FieldPath at, String message) {
        add(at, true, Severity.ERROR, message);
    }

    void warning(FieldPath at, String message) {
        add(at, true, Severity.WARNING, message);
    }

    private void add(FieldPath at, boolean key, Severity severity, String message) {
        SourceLocation where = doc == null ? new SourceLocation(file, 1, 1) : key ? doc.keyAt(at) : doc.valueAt(at);
        String prefix = at.isRoot() ? "" : at.display() + ": ";
        list.add(new Diagnostic(file, where.line(), where.column(), severity, at.display(), prefix + message));
    }

    boolean hasErrors() {
        return list.stream().anyMatch(Diagnostic::isError);
    }

    List<Diagnostic> sorted() {
        List<Diagnostic> out = new ArrayList<>(list.stream().distinct().toList());
        out.sort(Diagnostic.BY_POSITION);
        return out;
    }

    <T> ParseResult<T> result(T value) {
        return hasErrors() || value == null
                ? new ParseResult.Invalid<>(sorted())
                : new ParseResult.Parsed<>(value, sorted());
    }
}
