package dev.gavel.api.auth;

import dev.gavel.engine.model.Names;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer API keys of the form {@code gvl_<id>_<secret>}, kept in {@code <data>/api-keys.json} as
 * SHA-256 hashes of their secrets only.
 *
 * <p>The secret is 32 bytes from {@link SecureRandom}: with that much entropy a fast hash is as good
 * as a slow one (there is nothing to brute-force), and it keeps verification cheap enough for every
 * request. Hashes are compared in constant time.
 *
 * <p>Thread-safe. Lookups are one hash-map read by id. The file may be changed by another process
 * ({@code gavel token create|revoke} while the server runs): changes are picked up within
 * {@link #DEFAULT_RECHECK} of the next lookup, and writers from any process take a file lock and
 * re-read the file before changing it, so no update is lost.
 */
public final class ApiKeyStore {
    public static final String KEYS_FILE = "api-keys.json";
    public static final String ADMIN_TOKEN_FILE = "admin.token";
    public static final String PREFIX = "gvl_";
    /** How long a lookup may use the loaded keys before checking whether the file changed. */
    public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyStore.class);
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_NAME_LENGTH = 100;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** FileLock is per process; two stores of one directory in this JVM serialize here first. */
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path dataDir;
    private final Path keysFile;
    private final Path lockFile;
    private final long recheckNanos;
    private volatile Loaded loaded;
    private volatile long nextCheck;

    private ApiKeyStore(Path dataDir, Duration recheck) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.keysFile = this.dataDir.resolve(KEYS_FILE);
        this.lockFile = this.dataDir.resolve(KEYS_FILE + ".lock");
        this.recheckNanos = recheck.toNanos();
    }

    /**
     * Opens the keys of {@code dataDir}; a missing directory or file holds no keys (nothing is
     * created until a key is).
     *
     * @throws ApiKeyFileException when the file exists but cannot be read or is not a valid key file
     */
    public static ApiKeyStore open(Path dataDir) {
        return open(dataDir, DEFAULT_RECHECK);
    }

    /** As {@link #open(Path)}, checking the file for changes at most once per {@code recheck}. */
    public static ApiKeyStore open(Path dataDir, Duration recheck) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (recheck.isNegative()) {
            throw new IllegalArgumentException("recheck must not be negative");
        }
        ApiKeyStore store = new ApiKeyStore(dataDir, recheck);
        store.loaded = store.read();
        store.nextCheck = System.nanoTime() + store.recheckNanos;
        return store;
    }

    /**
     * First start: when there are no keys, creates one admin key named {@code admin} and writes it to
     * {@code <dataDir>/admin.token} (mode 600).
     *
     * @return the admin token file, created now or by an earlier start; empty when keys exist but
     *     there is no such file (it was revoked or deleted)
     */
    public static Optional<AdminTokenFile> ensureAdminKey(Path dataDir) {
        return open(dataDir).ensureAdminKey();
    }

    /** As {@link #ensureAdminKey(Path)}, on this store. */
    public Optional<AdminTokenFile> ensureAdminKey() {
        Path tokenFile = adminTokenFile();
        return locked(() -> {
            Loaded fresh = read();
            if (!fresh.byId.isEmpty()) {
                loaded = fresh;
                return Files.exists(tokenFile) ? Optional.of(new AdminTokenFile(tokenFile, false)) : Optional.empty();
            }
            Issued issued = newKey(fresh, Role.ADMIN, Optional.empty(), "admin");
            // Token file first: a crash before the key is stored leaves no keys, so the next start
            // simply makes a new one and overwrites the file.
            OwnerOnlyFiles.writeAtomically(tokenFile, (issued.token + "\n").getBytes(StandardCharsets.US_ASCII));
            store(fresh, issued.entry);
            LOG.info(
                    "Created the first admin API key {} in {}",
                    issued.entry.key().id(),
                    tokenFile);
            return Optional.of(new AdminTokenFile(tokenFile, true));
        });
    }

    /**
     * Creates a key and returns its plaintext token; only the hash is stored.
     *
     * @param tenants the tenants the key is limited to, each a valid name; empty = every tenant
     * @param name who the key is for, used as the commit author; null or blank = {@code key-<id>}
     * @throws IllegalArgumentException when a tenant or the name is invalid
     */
    public IssuedApiKey create(Role role, Optional<Set<String>> tenants, String name) {
        Objects.requireNonNull(role, "role");
        Optional<Set<String>> checkedTenants = checkTenants(tenants);
        String checkedName = name == null || name.isBlank() ? null : checkName(name.strip());
        return locked(() -> {
            Loaded fresh = read();
            Issued issued = newKey(fresh, role, checkedTenants, checkedName);
            store(fresh, issued.entry);
            return new IssuedApiKey(issued.entry.key(), issued.token);
        });
    }

    /**
     * Revokes the key {@code id}: it stops authenticating at once in this process, and within
     * {@link #DEFAULT_RECHECK} in a server reading the same directory. Removes {@code admin.token}
     * when it holds this key.
     *
     * @return whether such a key existed
     */
    public boolean revoke(String id) {
        Objects.requireNonNull(id, "id");
        return locked(() -> {
            Loaded fresh = read();
            if (!fresh.byId.containsKey(id)) {
                loaded = fresh;
                return false;
            }
            Map<String, ApiKeyFile.Entry> next = new LinkedHashMap<>(fresh.byId);
            next.remove(id);
            write(next);
            Path tokenFile = adminTokenFile();
            if (Files.exists(tokenFile)
                    && new String(Files.readAllBytes(tokenFile), StandardCharsets.ISO_8859_1)
                            .startsWith(PREFIX + id + "_")) {
                Files.delete(tokenFile);
            }
            return true;
        });
    }

    /** Every key, oldest first, without secrets; read from the file now. */
    public List<ApiKey> list() {
        Loaded fresh = read();
        loaded = fresh;
        return fresh.byId.values().stream().map(e -> e.key()).toList();
    }

    /** The key {@code id}, if it exists. */
    public Optional<ApiKey> get(String id) {
        return Optional.ofNullable(current().byId.get(id)).map(e -> e.key());
    }

    /**
     * The caller a {@code gvl_<id>_<secret>} token stands for; empty for anything malformed, unknown,
     * revoked or with a wrong secret. Never throws for bad input.
     */
    public Optional<Principal> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int sep = token.indexOf('_', PREFIX.length());
        if (sep < 0) {
            return Optional.empty();
        }
        String id = token.substring(PREFIX.length(), sep);
        String secret = token.substring(sep + 1);
        if (!ApiKeyFile.isId(id) || !SECRET.matcher(secret).matches()) {
            return Optional.empty();
        }
        ApiKeyFile.Entry entry = current().byId.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        return MessageDigest.isEqual(entry.hash(), sha256(secret))
                ? Optional.of(entry.key().principal())
                : Optional.empty();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path keysFile() {
        return keysFile;
    }

    public Path adminTokenFile() {
        return dataDir.resolve(ADMIN_TOKEN_FILE);
    }

    /** Whether {@code name} is acceptable as a key name (it becomes a commit author name). */
    public static boolean isValidName(String name) {
        return name != null
                && !name.isBlank()
                && name.length() <= MAX_NAME_LENGTH
                && name.equals(name.strip())
                && name.codePoints().noneMatch(cp -> Character.isISOControl(cp) || cp == '<' || cp == '>');
    }

    // ---------------------------------------------------------------------------------------------

    private record Issued(ApiKeyFile.Entry entry, String token) {}

    /** What identifies one version of the file: an atomic replace gives a new inode (fileKey). */
    private record Stamp(Object fileKey, long modified, long size) {}

    private record Loaded(Map<String, ApiKeyFile.Entry> byId, Stamp stamp) {}

    private Loaded current() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            nextCheck = now + recheckNanos;
            Loaded before = loaded;
            try {
                Stamp stamp = stamp();
                if (!Objects.equals(stamp, before.stamp)) {
                    loaded = read();
                }
            } catch (ApiKeyFileException e) {
                // Keep serving the keys we had rather than locking everyone out over a bad edit.
                LOG.warn("{}; keeping the {} keys loaded before", e.getMessage(), before.byId.size());
                loaded = new Loaded(before.byId, stampOrNull());
            }
        }
        return loaded;
    }

    private Stamp stampOrNull() {
        try {
            return stamp();
        } catch (ApiKeyFileException e) {
            return null;
        }
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(keysFile, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ApiKeyFileException("cannot read " + keysFile + ": " + e.getMessage(), e);
        }
    }

    private Loaded read() {
        Stamp stamp = stamp();
        if (stamp == null) {
            return new Loaded(Map.of(), null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(keysFile);
        } catch (NoSuchFileException e) {
            return new Loaded(Map.of(), null);
        } catch (IOException e) {
            throw new ApiKeyFileException("cannot read " + keysFile + ": " + e.getMessage(), e);
        }
        Map<String, ApiKeyFile.Entry> byId = ApiKeyFile.parse(keysFile, bytes);
        return new Loaded(Collections.unmodifiableMap(byId), stamp);
    }

    private Issued newKey(Loaded fresh, Role role, Optional<Set<String>> tenants, String name) {
        String id;
        do {
            id = HexFormat.of().formatHex(randomBytes(6));
        } while (fresh.byId.containsKey(id));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        ApiKey key = new ApiKey(
                id,
                name == null ? "key-" + id : name,
                role,
                tenants,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        return new Issued(new ApiKeyFile.Entry(key, sha256(secret)), PREFIX + id + "_" + secret);
    }

    private void store(Loaded fresh, ApiKeyFile.Entry entry) throws IOException {
        Map<String, ApiKeyFile.Entry> next = new LinkedHashMap<>(fresh.byId);
        next.put(entry.key().id(), entry);
        write(next);
    }

    /** Every key as stored (hashes only), read from the file now. */
    List<ApiKeyFile.StoredKey> storedKeys() {
        Loaded fresh = read();
        return fresh.byId.values().stream().map(ApiKeyFile::stored).toList();
    }

    /**
     * Replaces the keys with {@code change} applied to the keys in the file now, under the same locks as every other
     * writer; each resulting key is checked as when read. Nothing is written when the set is unchanged.
     */
    void updateStored(java.util.function.UnaryOperator<List<ApiKeyFile.StoredKey>> change) {
        locked(() -> {
            Loaded fresh = read();
            List<ApiKeyFile.StoredKey> before =
                    fresh.byId.values().stream().map(ApiKeyFile::stored).toList();
            List<ApiKeyFile.StoredKey> after = change.apply(before);
            if (after.equals(before)) {
                loaded = fresh;
                return null;
            }
            Map<String, ApiKeyFile.Entry> next = new LinkedHashMap<>();
            for (int i = 0; i < after.size(); i++) {
                ApiKeyFile.Entry e = ApiKeyFile.entry(keysFile, after.get(i), i);
                next.put(e.key().id(), e);
            }
            write(next);
            return null;
        });
    }

    private void write(Map<String, ApiKeyFile.Entry> keys) throws IOException {
        byte[] bytes = ApiKeyFile.serialize(keys.values());
        OwnerOnlyFiles.writeAtomically(keysFile, bytes);
        loaded = new Loaded(Collections.unmodifiableMap(new LinkedHashMap<>(keys)), stamp());
    }

    private interface LockedAction<T> {
        T run() throws IOException;
    }

    /** Runs a read-modify-write holding this JVM's lock and a file lock against other processes. */
    private <T> T locked(LockedAction<T> action) {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
        jvmLock.lock();
        try {
            Files.createDirectories(dataDir);
            try (FileChannel ch = FileChannel.open(
                            lockFile,
                            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                            OwnerOnlyFiles.ownerOnly(dataDir));
                    FileLock ignored = ch.lock()) {
                return action.run();
            }
        } catch (IOException e) {
            throw new ApiKeyFileException("cannot update " + keysFile + ": " + e.getMessage(), e);
        } finally {
            jvmLock.unlock();
        }
    }

    private static Optional<Set<String>> checkTenants(Optional<Set<String>> tenants) {
        if (tenants == null || tenants.isEmpty()) {
            return Optional.empty();
        }
        for (String t : tenants.get()) {
            Names.requireValid("tenant", t);
        }
        return Optional.of(Set.copyOf(tenants.get()));
    }

    private static String checkName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("key name '" + Names.printable(name) + "' is not valid: 1 to "
                    + MAX_NAME_LENGTH + " characters, no control characters, '<' or '>'");
        }
        return name;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
