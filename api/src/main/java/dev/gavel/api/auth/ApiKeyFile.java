package dev.gavel.api.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.gavel.api.wire.Mappers;
import dev.gavel.engine.model.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The keys file's format ({@code api-keys.json}): its JSON shape, every check a key must pass when read, and its
 * serialization. Only hashes are stored, never a secret. {@link ApiKeyStore} owns the file's locking and reloads.
 */
final class ApiKeyFile {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final int FORMAT_VERSION = 1;
    private static final ObjectReader READ =
            Mappers.JSON.readerFor(KeyFile.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectWriter WRITE = Mappers.JSON.writerWithDefaultPrettyPrinter();

    private ApiKeyFile() {}

    /** Whether {@code id} has a key id's form (12 lowercase hex digits). */
    static boolean isId(String id) {
        return ID.matcher(id).matches();
    }

    /** A key as loaded: its public part and the SHA-256 of its secret. */
    record Entry(ApiKey key, byte[] hash) {}

    /** The file's JSON shape. */
    private record KeyFile(int version, List<StoredKey> keys) {}

    /** One key in the file (hash, never the secret); {@code tenants} null = every tenant. Shared with {@link FleetKeys}. */
    record StoredKey(String id, String name, String role, List<String> tenants, String createdAt, String hash) {}

    /** The keys of {@code bytes} by id, each checked; {@code file} names the file in errors. */
    static Map<String, Entry> parse(Path file, byte[] bytes) {
        KeyFile keys;
        try {
            keys = READ.readValue(bytes);
        } catch (IOException e) {
            throw new ApiKeyFileException(file + " is not a valid key file: " + firstLine(e.getMessage()), e);
        }
        if (keys == null || keys.keys == null) {
            throw new ApiKeyFileException(file + " is not a valid key file: no \"keys\" list");
        }
        Map<String, Entry> byId = new LinkedHashMap<>();
        for (int i = 0; i < keys.keys.size(); i++) {
            Entry e = entry(file, keys.keys.get(i), i);
            if (byId.put(e.key.id(), e) != null) {
                throw new ApiKeyFileException(file + ": key id " + e.key.id() + " occurs twice");
            }
        }
        return Collections.unmodifiableMap(byId);
    }

    /** One stored key, checked as when the file is read. */
    static Entry entry(Path file, StoredKey k, int index) {
        String where = file + ": keys[" + index + "]";
        if (k == null || k.id == null || !ID.matcher(k.id).matches()) {
            throw new ApiKeyFileException(where + ": id must be 12 lowercase hex digits");
        }
        if (!ApiKeyStore.isValidName(k.name)) {
            throw new ApiKeyFileException(where + ": invalid name");
        }
        Role role = Role.fromValue(k.role)
                .orElseThrow(() -> new ApiKeyFileException(where + ": role must be reader, editor or admin"));
        if (k.tenants != null && !k.tenants.stream().allMatch(Names::isValid)) {
            throw new ApiKeyFileException(where + ": invalid tenant name");
        }
        Instant created;
        try {
            created = Instant.parse(Objects.requireNonNullElse(k.createdAt, ""));
        } catch (DateTimeParseException e) {
            throw new ApiKeyFileException(where + ": createdAt must be an ISO-8601 instant", e);
        }
        if (k.hash == null || !HASH.matcher(k.hash).matches()) {
            throw new ApiKeyFileException(where + ": hash must be sha256:<64 hex digits>");
        }
        byte[] hash = HexFormat.of().parseHex(k.hash.substring("sha256:".length()));
        Optional<Set<String>> tenants = Optional.ofNullable(k.tenants).map(Set::copyOf);
        return new Entry(new ApiKey(k.id, k.name, role, tenants, created), hash);
    }

    static StoredKey stored(Entry e) {
        ApiKey k = e.key;
        return new StoredKey(
                k.id(),
                k.name(),
                k.role().value(),
                k.tenants().map(t -> List.copyOf(new TreeSet<>(t))).orElse(null),
                k.createdAt().toString(),
                "sha256:" + HexFormat.of().formatHex(e.hash));
    }

    /** The file's bytes for these keys. */
    static byte[] serialize(Collection<Entry> keys) {
        List<StoredKey> stored = keys.stream().map(ApiKeyFile::stored).toList();
        try {
            return (WRITE.writeValueAsString(new KeyFile(FORMAT_VERSION, stored)) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the key file", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
