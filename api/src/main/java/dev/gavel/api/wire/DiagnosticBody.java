package dev.gavel.api.wire;

import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.Severity;
import java.util.List;
import java.util.Locale;

/** One finding of the parser or compiler, at file:line:column. */
@Doc("A parser or compiler finding")
public record DiagnosticBody(
        @Doc(oneOf = Severity.class) String severity,
        String file,
        int line,
        int column,
        @Doc("The field path, e.g. spec.rules[0].when") String field,
        String message) {
    public static DiagnosticBody of(Diagnostic d) {
        return new DiagnosticBody(
                d.severity().name().toLowerCase(Locale.ROOT), d.file(), d.line(), d.column(), d.field(), d.message());
    }

    public static List<DiagnosticBody> of(List<Diagnostic> ds) {
        return ds.stream().map(DiagnosticBody::of).toList();
    }
}
