package dev.gavel.api.server;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Json;
import dev.gavel.api.wire.Problem;
import io.javalin.http.Context;

/** Writes an {@link ApiProblem} as RFC 9457 {@code application/problem+json}. */
final class ProblemWriter {
    static final String CONTENT_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://gavel.dev/problems/";
    private static final String WRITTEN = "gavel.problem";

    private ProblemWriter() {}

    static void write(Context ctx, ApiProblem p) {
        Problem body = body(p, ctx.path());
        if (p.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"gavel\"");
        }
        ctx.attribute(WRITTEN, Boolean.TRUE);
        ctx.status(p.status()).contentType(CONTENT_TYPE).result(Json.bytes(body));
    }

    /** The problem document; {@code instance} is null when there is no path (a request Jetty could not read). */
    static Problem body(ApiProblem p, String instance) {
        return new Problem(
                TYPE_BASE + p.slug(),
                p.title(),
                p.status(),
                p.detail(),
                instance,
                p.errors().stream()
                        .map(e -> new Problem.Error(e.field(), e.message(), e.file(), e.line(), e.column()))
                        .toList());
    }

    static boolean written(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(WRITTEN));
    }
}
