package dev.gavel.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gavel.engine.parse.Diagnostic;

/**
 * One entry of a problem's {@code errors} list: which input field is wrong and why, with the file
 * position when the error comes from a policy file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String message, String file, Integer line, Integer column) {

    public static FieldError of(String field, String message) {
        return new FieldError(field, message, null, null, null);
    }

    public static FieldError of(Diagnostic d) {
        return new FieldError(d.field(), d.message(), d.file().isEmpty() ? null : d.file(), d.line(), d.column());
    }
}
