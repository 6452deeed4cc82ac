package dev.gavel.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.wire.DiagnosticBody;
import dev.gavel.api.wire.RawPolicy;
import dev.gavel.api.wire.Stamps;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.store.git.FileStamp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** A policy file as a body, and its ETag. */
final class PolicyJson {
    private PolicyJson() {}

    /** Git's blob id of the bytes: the same ETag whatever commit the file is read at. */
    static String blobId(byte[] bytes) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
            sha1.update(bytes);
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String etag(byte[] bytes) {
        return "\"" + blobId(bytes) + "\"";
    }

    /** A policy file as stored: its parsed tree (or its diagnostics), source text, ETag and stamps. */
    static RawPolicy raw(PolicyPath where, byte[] bytes, String commit, Optional<FileStamp> stamp) {
        ParseResult<Policy> parsed = PolicyParser.parse(bytes, where.path());
        JsonNode tree = null;
        List<DiagnosticBody> diagnostics = null;
        LocalDate nextReview = null;
        if (parsed instanceof ParseResult.Parsed<Policy> ok) {
            tree = PolicyWriter.tree(ok.value());
            nextReview = ok.value().metadata().nextReview().orElse(null);
        } else {
            diagnostics = DiagnosticBody.of(parsed.diagnostics());
        }
        Stamps s = Stamps.of(stamp);
        return new RawPolicy(
                where.scope().dotted(),
                where.name(),
                where.path(),
                commit,
                etag(bytes),
                tree,
                diagnostics,
                new String(bytes, StandardCharsets.UTF_8),
                nextReview,
                s.createdAt(),
                s.createdBy(),
                s.updatedAt(),
                s.updatedBy(),
                null,
                null);
    }
}
