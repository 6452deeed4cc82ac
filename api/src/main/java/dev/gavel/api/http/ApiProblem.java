package dev.gavel.api.http;

import dev.gavel.engine.parse.Diagnostic;
import java.util.List;

/**
 * An answer that is an RFC 9457 problem: thrown by handlers, written as {@code application/problem+json}
 * by the server. No stack trace is captured: these are the caller's errors, not ours.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;

    public ApiProblem(int status, String slug, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    /** The last segment of the problem type URI, e.g. {@code not-found}. */
    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    public static ApiProblem badRequest(String detail, FieldError... errors) {
        return new ApiProblem(400, "bad-request", "Bad request", detail, List.of(errors));
    }

    public static ApiProblem badRequest(String detail, List<FieldError> errors) {
        return new ApiProblem(400, "bad-request", "Bad request", detail, errors);
    }

    public static ApiProblem unauthorized() {
        return new ApiProblem(
                401,
                "unauthorized",
                "Unauthorized",
                "a valid bearer token is required (Authorization: Bearer <token>)",
                List.of());
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Forbidden", detail, List.of());
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not-found", "Not found", detail, List.of());
    }

    public static ApiProblem conflict(String detail, List<FieldError> errors) {
        return new ApiProblem(409, "conflict", "Conflict", detail, errors);
    }

    public static ApiProblem preconditionFailed(String detail) {
        return new ApiProblem(
                412, "precondition-failed", "Precondition failed", detail, List.of(FieldError.of("If-Match", detail)));
    }

    public static ApiProblem tooLarge(long limit) {
        return new ApiProblem(
                413,
                "content-too-large",
                "Content too large",
                "the request body is larger than " + limit + " bytes",
                List.of());
    }

    public static ApiProblem unsupportedMediaType(String detail) {
        return new ApiProblem(415, "unsupported-media-type", "Unsupported media type", detail, List.of());
    }

    /** The change would leave the repository unable to compile; nothing was written. */
    public static ApiProblem invalidPolicies(String detail, List<Diagnostic> diagnostics) {
        return new ApiProblem(
                422,
                "invalid-policies",
                "Invalid policies",
                detail,
                diagnostics.stream().map(FieldError::of).toList());
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "unavailable", "Service unavailable", detail, List.of());
    }
}
