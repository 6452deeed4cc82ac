package dev.gavel.api.server;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Json;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers by itself, before a route runs (a NUL in the path or a header, smuggling, TLS
 * bytes on the plain port, a URI or headers over the limits), as problem+json like every other error
 * instead of Jetty's HTML page.
 */
final class JettyProblemHandler extends ErrorHandler {

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        byte[] body = problem(
                code,
                message,
                request.getHttpURI() == null ? null : request.getHttpURI().getPath());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemWriter.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int code, String message, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ProblemWriter.CONTENT_TYPE);
        return ByteBuffer.wrap(problem(code, message, null));
    }

    private static byte[] problem(int code, String message, String path) {
        String reason = HttpStatus.getMessage(code);
        String detail = message == null || message.isBlank() ? reason : message;
        ApiProblem p = new ApiProblem(
                code,
                code >= 500 ? "internal" : "http-" + code,
                reason,
                code >= 500 ? "the server failed to answer; the error is in its log" : detail,
                List.of());
        return Json.bytes(ProblemWriter.body(p, path));
    }
}
