package dev.gavel.api.server;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.snapshot.SnapshotService;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /api/v1/hooks/git}: a forge says the branch moved; fetch now instead of at the next poll.
 * With a secret, the body must carry GitHub's {@code X-Hub-Signature-256: sha256=<hex HMAC>}; without
 * one, the caller needs a bearer token like any other API route.
 */
final class GitHook {
    private final SnapshotService snapshots;
    private final Optional<byte[]> secret;

    GitHook(SnapshotService snapshots, Optional<String> secret) {
        this.snapshots = snapshots;
        this.secret = secret.map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    boolean hasSecret() {
        return secret.isPresent();
    }

    void handle(Context ctx) {
        byte[] body = RequestInput.body(ctx);
        if (secret.isPresent() && !signatureValid(secret.get(), body, ctx.header("X-Hub-Signature-256"))) {
            throw new ApiProblem(
                    401,
                    "bad-signature",
                    "Unauthorized",
                    "X-Hub-Signature-256 is missing or does not match the body",
                    java.util.List.of());
        }
        Optional<String> head = snapshots.refreshNow();
        var out = Json.object();
        out.put("head", head.orElse(null));
        Json.send(ctx, 202, out);
    }

    static boolean signatureValid(byte[] key, byte[] body, String header) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(key, body), given);
    }

    static byte[] hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
