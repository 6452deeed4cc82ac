package dev.gavel.api.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.RemoteUnavailableException;
import dev.gavel.store.git.SharedRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys shared by every replica of a fleet through {@code refs/gavel/keys} on the policies' remote (never the
 * served branch): the file there holds the keys' hashes (never a secret) and the ids of revoked keys.
 *
 * <p>Each replica keeps its own {@code api-keys.json} and, every poll, merges three ways with the shared file: keys
 * created here since the last merge are added, keys that disappeared here since the last merge are revoked
 * (tombstones, so a revocation beats a replica that still has the key), and the result is pushed with
 * compare-and-swap (a lost race fetches and merges again) and written back to the local file. The last merged
 * state is kept in {@code <data>/api-keys.fleet.json}, so a key revoked with {@code gavel token revoke} while the
 * server was down is still revoked fleet-wide when it starts.
 */
public final class FleetKeys implements AutoCloseable {
    public static final String REF_NAME = "keys";
    public static final String FILE = "api-keys.json";
    static final String BASE_FILE = "api-keys.fleet.json";
    private static final Logger LOG = LoggerFactory.getLogger(FleetKeys.class);
    private static final int MAX_ROUNDS = 20;
    private static final Author AUTHOR = new Author("Gavel", "gavel@localhost");
    // The one JSON mapper: a reader that tolerates fields a newer replica added, a pretty writer for diffs.
    private static final com.fasterxml.jackson.databind.ObjectReader READ = dev.gavel.api.wire.Mappers.JSON
            .readerFor(Shared.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final com.fasterxml.jackson.databind.ObjectWriter WRITE =
            dev.gavel.api.wire.Mappers.JSON.writerWithDefaultPrettyPrinter();

    /** The shared file's shape. */
    record Shared(int version, List<ApiKeyFile.StoredKey> keys, List<String> revoked) {
        static final Shared EMPTY = new Shared(1, List.of(), List.of());
    }

    private final ApiKeyStore keys;
    private final SharedRef ref;
    private final Path baseFile;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gavel-fleet-keys");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean failing;

    private FleetKeys(ApiKeyStore keys, SharedRef ref) {
        this.keys = keys;
        this.ref = ref;
        this.baseFile = keys.dataDir().resolve(BASE_FILE);
    }

    /** Merges once now (in the caller's thread), then every {@code interval}. */
    public static FleetKeys start(ApiKeyStore keys, GitPolicyRepository repository, Duration interval) {
        FleetKeys f = new FleetKeys(keys, repository.sharedRef(REF_NAME, FILE));
        f.syncQuietly(false);
        long ms = Math.max(10, interval.toMillis());
        f.timer.scheduleWithFixedDelay(() -> f.syncQuietly(true), ms, ms, TimeUnit.MILLISECONDS);
        return f;
    }

    private void syncQuietly(boolean fetch) {
        try {
            sync(fetch);
            if (failing) {
                LOG.info("shared API keys in sync with {} again", ref.ref());
                failing = false;
            }
        } catch (RemoteUnavailableException e) {
            if (!failing) {
                LOG.warn("sharing API keys paused: {}", e.getMessage());
                failing = true;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("sharing API keys failed: {}", e.toString());
                failing = true;
            }
        }
    }

    /** One round: fetch, merge, push when the shared file must change, write the local file. */
    void sync(boolean fetch) {
        if (fetch) {
            ref.fetch();
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Optional<SharedRef.Version> current = ref.read();
            Shared shared = current.map(v -> parse(v.content())).orElse(Shared.EMPTY);
            Shared base = readBase();
            List<ApiKeyFile.StoredKey> local = keys.storedKeys();
            Shared merged = merge(base, local, shared);
            if (!merged.equals(shared) || current.isEmpty()) {
                Optional<SharedRef.Version> pushed = ref.replace(
                        current.map(SharedRef.Version::commit),
                        bytes(merged),
                        AUTHOR,
                        "Gavel API keys: " + merged.keys().size() + " keys, "
                                + merged.revoked().size() + " revoked");
                if (pushed.isEmpty()) {
                    ref.fetch(); // another replica got there first: merge with theirs
                    continue;
                }
            }
            applyLocally(base, merged);
            writeBase(merged);
            return;
        }
        throw new IllegalStateException("the shared keys kept moving; will retry");
    }

    /** (shared + created here) - (revoked anywhere + revoked here), in a stable order. */
    static Shared merge(Shared base, List<ApiKeyFile.StoredKey> local, Shared shared) {
        Set<String> baseIds = ids(base.keys());
        Set<String> localIds = ids(local);
        Set<String> revoked = new TreeSet<>(shared.revoked());
        revoked.addAll(base.revoked());
        baseIds.stream().filter(id -> !localIds.contains(id)).forEach(revoked::add);
        Map<String, ApiKeyFile.StoredKey> out = new LinkedHashMap<>();
        for (ApiKeyFile.StoredKey k : shared.keys()) {
            out.put(k.id(), k);
        }
        for (ApiKeyFile.StoredKey k : local) {
            out.putIfAbsent(k.id(), k);
        }
        revoked.forEach(out::remove);
        return new Shared(1, new ArrayList<>(out.values()), new ArrayList<>(revoked));
    }

    /** The local file becomes the merge, keeping keys made here meanwhile and not re-adding keys revoked meanwhile. */
    private void applyLocally(Shared base, Shared merged) {
        Set<String> revoked = Set.copyOf(merged.revoked());
        Set<String> baseIds = ids(base.keys());
        keys.updateStored(now -> {
            Set<String> nowIds = ids(now);
            Map<String, ApiKeyFile.StoredKey> out = new LinkedHashMap<>();
            for (ApiKeyFile.StoredKey k : now) {
                if (!revoked.contains(k.id())) {
                    out.put(k.id(), k);
                }
            }
            for (ApiKeyFile.StoredKey k : merged.keys()) {
                boolean revokedHereMeanwhile = baseIds.contains(k.id()) && !nowIds.contains(k.id());
                if (!revokedHereMeanwhile) {
                    out.putIfAbsent(k.id(), k);
                }
            }
            return new ArrayList<>(out.values());
        });
    }

    private Shared readBase() {
        try {
            return parse(Files.readAllBytes(baseFile));
        } catch (NoSuchFileException e) {
            return Shared.EMPTY;
        } catch (IOException e) {
            throw new ApiKeyFileException("cannot read " + baseFile + ": " + e.getMessage(), e);
        }
    }

    private void writeBase(Shared s) {
        try {
            OwnerOnlyFiles.writeAtomically(baseFile, bytes(s));
        } catch (IOException e) {
            throw new ApiKeyFileException("cannot write " + baseFile + ": " + e.getMessage(), e);
        }
    }

    private static Shared parse(byte[] bytes) {
        if (bytes.length == 0) {
            return Shared.EMPTY;
        }
        try {
            Shared s = READ.readValue(bytes);
            return new Shared(
                    1, s.keys() == null ? List.of() : s.keys(), s.revoked() == null ? List.of() : s.revoked());
        } catch (IOException e) {
            throw new ApiKeyFileException("the shared key file is not valid: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(Shared s) {
        try {
            return (WRITE.writeValueAsString(s) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> ids(List<ApiKeyFile.StoredKey> ks) {
        Set<String> out = new TreeSet<>();
        ks.forEach(k -> out.add(k.id()));
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
