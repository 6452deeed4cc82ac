package dev.gavel.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Opaque list cursors: base64url of {sort, query hash, last key, issued at}, signed with HMAC-SHA256
 * under a key made at start-up. A cursor is refused when altered, older than {@link #LIFETIME}, or
 * presented with another query or sort (its query hash differs). Restarting the server invalidates
 * outstanding cursors, which is what their 24 h lifetime already tells clients to expect. Public for the
 * compatibility faces whose lists page the same way (each face holds its own instance).
 */
public final class ListCursors {
    static final Duration LIFETIME = Duration.ofHours(24);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key = new byte[32];
    private final Clock clock;

    public ListCursors() {
        this(Clock.systemUTC());
    }

    ListCursors(Clock clock) {
        new SecureRandom().nextBytes(key);
        this.clock = clock;
    }

    /** The position after which the next page starts. */
    public record Key(String primary, String path) {}

    public String issue(String sort, String queryHash, Key last) {
        ObjectNode n = Json.object();
        n.put("s", sort);
        n.put("q", queryHash);
        n.put("k", last.primary());
        n.put("p", last.path());
        n.put("t", clock.instant().getEpochSecond());
        byte[] payload = Json.bytes(n);
        return B64.encodeToString(payload) + "." + B64.encodeToString(GitHook.hmac(key, payload));
    }

    /** The key a cursor carries, or 400 saying why it is refused. */
    public Key read(String cursor, String sort, String queryHash) {
        int dot = cursor.indexOf('.');
        byte[] payload;
        byte[] mac;
        try {
            if (dot < 0) {
                throw new IllegalArgumentException();
            }
            payload = B64D.decode(cursor.substring(0, dot));
            mac = B64D.decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("the cursor is not one this server issued");
        }
        if (!MessageDigest.isEqual(GitHook.hmac(key, payload), mac)) {
            throw invalid("the cursor is not one this server issued (or the server restarted since)");
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(payload);
        } catch (java.io.IOException e) {
            throw invalid("the cursor is not one this server issued");
        }
        long issued = n.path("t").asLong();
        if (clock.instant().getEpochSecond() - issued > LIFETIME.toSeconds()) {
            throw invalid("the cursor expired (cursors live 24 hours); start again without it");
        }
        if (!sort.equals(n.path("s").asText()) || !queryHash.equals(n.path("q").asText())) {
            throw invalid("the cursor belongs to another query or sort; start again without it");
        }
        return new Key(n.path("k").asText(), n.path("p").asText());
    }

    public static String hash(String canonicalQuery) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonicalQuery.getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(d).substring(0, 22);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiProblem invalid(String why) {
        return ApiProblem.badRequest("invalid cursor", FieldError.of("cursor", why));
    }
}
