package dev.gavel.api.console;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

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

    /** Adds the console's files to the server being configured (static files, not routes of the API's table). */
    public static void register(JavalinConfig cfg) {
        cfg.staticFiles.add(files -> {
            files.hostedPath = PATH;
            files.directory = RESOURCES;
            files.location = Location.CLASSPATH;
            files.precompressMaxSize = 1024 * 1024; // gzip (or brotli) once, kept in memory: the whole console is small
            files.headers = HEADERS;
        });
        // The policy JSON Schema the engine validates with, for the settings form: the engine's own file, not a copy.
        cfg.staticFiles.add(files -> {
            files.hostedPath = PATH + "/schema";
            files.directory = SCHEMAS;
            files.location = Location.CLASSPATH;
            files.precompressMaxSize = 1024 * 1024;
            files.headers = HEADERS;
        });
    }
}
