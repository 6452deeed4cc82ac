package dev.gavel.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.ScopePath;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads and checks what a request carries, before anything touches the store: bad input is a 400. */
public final class RequestInput {
    /** Largest accepted body (1 MiB), checked on Content-Length and on the bytes actually read. */
    public static final int MAX_BODY = 1 << 20;

    private RequestInput() {}

    public static ScopePath scope(Context ctx) {
        String raw = ctx.pathParam("scope");
        try {
            return ScopePath.fromUrl(raw);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(
                    "invalid scope '" + Names.printable(raw) + "'",
                    FieldError.of("scope", e.getMessage() + " (dotted names, or _ for the global scope)"));
        }
    }

    /**
     * A header's value as UTF-8. HTTP header bytes reach us as ISO-8859-1 characters (Jetty reads them
     * so): re-read those bytes as UTF-8, and refuse bytes that are not UTF-8 rather than commit mojibake.
     */
    public static String utf8Header(Context ctx, String header) {
        String raw = ctx.header(header);
        if (raw == null) {
            return null;
        }
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiProblem.badRequest("invalid " + header, FieldError.of(header, "not UTF-8 text"));
        }
    }

    /**
     * A query string with a broken percent-escape (e.g. {@code ?cursor=%%%%}) is refused: the servlet
     * layer would drop the parameter silently and the caller would get an answer to another question.
     */
    public static void requireWellFormedQuery(Context ctx) {
        String q = ctx.queryString();
        if (q == null) {
            return;
        }
        for (int i = 0; i < q.length(); i++) {
            if (q.charAt(i) == '%' && (i + 2 >= q.length() || !isHex(q.charAt(i + 1)) || !isHex(q.charAt(i + 2)))) {
                throw ApiProblem.badRequest(
                        "the query string is not valid percent-encoding",
                        FieldError.of("query", "'%' must be followed by two hexadecimal digits"));
            }
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    public static String name(Context ctx) {
        String raw = ctx.pathParam("name");
        if (!Names.isValid(raw)) {
            throw ApiProblem.badRequest(
                    "invalid policy name '" + Names.printable(raw) + "'",
                    FieldError.of("name", "'" + Names.printable(raw) + "' " + Names.RULE_TEXT));
        }
        return raw;
    }

    public static Optional<Integer> intQuery(Context ctx, String param, int min, int max) {
        String v = ctx.queryParam(param);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(
                    "invalid " + param,
                    FieldError.of(
                            param, "'" + Names.printable(v) + "' is not an integer between " + min + " and " + max));
        }
    }

    public static int intPath(Context ctx, String param, int min) {
        String v = ctx.pathParam(param);
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(
                    "invalid " + param,
                    FieldError.of(param, "'" + Names.printable(v) + "' is not an integer >= " + min));
        }
    }

    /** A commit id or ref given by the caller: hex ids and simple ref names only. */
    public static String revision(String param, String v) {
        if (v == null || !v.matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}") || v.contains("..")) {
            throw ApiProblem.badRequest(
                    "invalid " + param,
                    FieldError.of(param, "'" + Names.printable(String.valueOf(v)) + "' is not a commit id"));
        }
        return v;
    }

    /** The body's bytes; 413 past {@link #MAX_BODY} whatever Content-Length claimed. */
    public static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_BODY) {
                drain(in);
                throw ApiProblem.tooLarge(MAX_BODY);
            }
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                drain(in);
                throw ApiProblem.tooLarge(MAX_BODY);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and drops what is left of a refused body (up to a bound), so that a client still sending it
     * reads the 413 instead of a reset connection; past the bound the connection is closed.
     */
    private static void drain(InputStream in) throws IOException {
        long left = 16L * MAX_BODY;
        byte[] sink = new byte[64 * 1024];
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    /** The body as JSON; 400 with the parser's position when it is not. */
    public static JsonNode jsonBody(Context ctx) {
        byte[] bytes = body(ctx);
        if (bytes.length == 0) {
            throw ApiProblem.badRequest("the request needs a JSON body", FieldError.of("body", "empty"));
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ApiProblem.badRequest("the request needs a JSON body", FieldError.of("body", "empty"));
            }
            return node;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw ApiProblem.badRequest(
                    "the body is not valid JSON",
                    new FieldError(
                            "body",
                            e.getOriginalMessage(),
                            null,
                            loc == null ? null : loc.getLineNr(),
                            loc == null ? null : loc.getColumnNr()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The If-Match header without quotes or weak prefix; empty when absent or {@code *}. */
    public static Optional<String> ifMatch(Context ctx) {
        String v = ctx.header("If-Match");
        if (v == null || v.isBlank() || v.strip().equals("*")) {
            return Optional.empty();
        }
        String t = v.strip();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        return Optional.of(t);
    }
}
