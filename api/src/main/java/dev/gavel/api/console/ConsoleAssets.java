package dev.gavel.api.console;

import dev.gavel.api.http.ApiProblem;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.QuotedQualityCSV;

/**
 * The web console's static files, served from the jar under {@code /ui/} on the API's port. The page is
 * plain ES modules that call {@code /api/v1} with the key as a bearer header; nothing here reads a token.
 * Every answer carries a strict Content-Security-Policy: scripts, styles and connections only from this
 * origin, no inline script or style, no framing.
 */
public final class ConsoleAssets {
    /** Where the console is served. */
    public static final String PATH = "/ui";
    /** Where its files are in the jar. */
    static final String RESOURCES = "/gavel-console";
    /** Where the engine's JSON Schemas are in the jar. */
    static final String SCHEMAS = "/gavel/schema";

    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CSP,
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cache-Control", "no-cache");

    private ConsoleAssets() {}

    /**
     * Adds the console's files to the server being configured: {@code GET}/{@code HEAD} {@code /ui/<file>} from
     * {@link ConsoleFiles} read once from the jar (not routes of the API's table). {@code /ui} redirects to {@code
     * /ui/} so that the page's relative module paths resolve.
     */
    public static void register(JavalinConfig cfg) {
        ConsoleFiles console = ConsoleFiles.load(RESOURCES);
        // The policy JSON Schema the engine validates with, for the settings form: the engine's own file, not a copy.
        ConsoleFiles schemas = ConsoleFiles.load(SCHEMAS);
        Handler handler = ctx -> serve(ctx, console, schemas);
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.HEAD)) {
            cfg.routes.addHttpHandler(method, PATH, handler);
            cfg.routes.addHttpHandler(method, PATH + "/<file>", handler);
        }
    }

    private static void serve(Context ctx, ConsoleFiles console, ConsoleFiles schemas) {
        String path = ctx.path();
        if (path.equals(PATH)) {
            ctx.header("Location", PATH + "/");
            ctx.status(HttpStatus.MOVED_PERMANENTLY);
            return;
        }
        String name = path.substring(PATH.length() + 1);
        Optional<ConsoleFiles.File> found = name.isEmpty()
                ? console.get("index.html")
                : name.startsWith("schema/") ? schemas.get(name.substring("schema/".length())) : console.get(name);
        if (found.isEmpty()) {
            throw ApiProblem.notFound("no route matches this path");
        }
        ConsoleFiles.File file = found.get();
        HEADERS.forEach(ctx::header);
        ctx.header("Vary", "Accept-Encoding");
        boolean gzip = acceptsGzip(ctx.header("Accept-Encoding"));
        String etag = gzip ? file.gzipEtag() : file.etag();
        ctx.header("ETag", etag);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(file.contentType());
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
        }
        ctx.result(gzip ? file.gzip() : file.raw());
    }

    /** {@code gzip} (or {@code *}) listed with a quality above 0 (Jetty's parser of quality lists). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        QuotedQualityCSV codings = new QuotedQualityCSV();
        codings.addValue(acceptEncoding);
        return codings.getValues().stream().anyMatch(c -> c.equalsIgnoreCase("gzip") || c.equals("*"));
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
