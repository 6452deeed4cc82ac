package dev.gavel.api.validate.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.http.Json;
import dev.gavel.store.log.LoggedMatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Logged evaluations streamed from a Gavel server's {@code GET /api/v1/evaluations/export} (NDJSON, newest
 * first), with a bearer token of the reader role. A token limited to tenants replays only their evaluations.
 */
public final class ServerSource implements ReplaySource<String> {
    private final URI base;
    private final Optional<String> token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param url the server, e.g. {@code http://127.0.0.1:7070} (a path after it is ignored)
     * @throws SourceException for anything but an http(s) URL with a host
     */
    public ServerSource(String url, Optional<String> token) {
        URI u;
        try {
            u = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new SourceException("'" + url + "' is not a URL");
        }
        if (u.getScheme() == null
                || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                || u.getHost() == null) {
            throw new SourceException("'" + url + "' is not an http(s) URL of a Gavel server");
        }
        this.base = URI.create(u.getScheme() + "://" + u.getRawAuthority());
        this.token = token.map(String::strip).filter(t -> !t.isEmpty());
    }

    /** Whether a --replay argument names a server rather than a file. */
    public static boolean isUrl(String source) {
        String s = source.strip().toLowerCase(java.util.Locale.ROOT);
        return s.startsWith("http://") || s.startsWith("https://");
    }

    @Override
    public String describe() {
        return base.toString();
    }

    @Override
    public void forEach(ReplayWindow window, Consumer<String> sink) {
        StringBuilder q = new StringBuilder("/api/v1/evaluations/export?limit=").append(window.limit());
        window.since()
                .ifPresent(s -> q.append("&since=").append(URLEncoder.encode(s.toString(), StandardCharsets.UTF_8)));
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(q.toString())).GET();
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        HttpResponse<Stream<String>> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new SourceException("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while reading " + base);
        }
        try (Stream<String> lines = r.body()) {
            if (r.statusCode() != 200) {
                String body = String.join(" ", lines.limit(20).toList());
                throw new SourceException(base + " answered " + r.statusCode() + problemDetail(body)
                        + (r.statusCode() == 401 ? " (give a reader token with --token or GAVEL_TOKEN)" : ""));
            }
            lines.filter(l -> !l.isBlank()).forEach(sink);
        } catch (UncheckedIOException e) {
            throw new SourceException(
                    "reading " + base + " failed: " + e.getCause().getMessage(), e);
        }
    }

    private static String problemDetail(String body) {
        try {
            JsonNode p = Json.MAPPER.readTree(body);
            return p.hasNonNull("detail") ? ": " + p.get("detail").asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public LoggedRequest decode(String line) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return new LoggedRequest("?", Instant.EPOCH, "", "", List.of(), null);
        }
        List<LoggedMatch> matches = new ArrayList<>();
        for (JsonNode m : n.path("results")) {
            matches.add(new LoggedMatch(
                    m.path("policy").asText(),
                    m.path("definedAt").asText(),
                    m.path("enforcement").asText(),
                    m.path("effect").asText(),
                    m.path("rule").asText(),
                    m.path("message").asText(null)));
        }
        Instant time;
        try {
            time = Instant.parse(n.path("timestamp").asText());
        } catch (java.time.format.DateTimeParseException e) {
            time = Instant.EPOCH;
        }
        JsonNode request = n.get("request");
        return new LoggedRequest(
                n.path("id").asText(),
                time,
                n.path("scope").asText(),
                n.path("decision").asText(),
                matches,
                request != null && request.isObject() ? request : null);
    }

    @Override
    public void close() {
        // HttpClient has no close on Java 17; its threads are daemons.
    }
}
