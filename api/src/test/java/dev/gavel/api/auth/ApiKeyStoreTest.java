package dev.gavel.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyStoreTest {
    @TempDir
    Path data;

    @Test
    @DisplayName(
            "a created key has the form gvl_<id>_<43 base64url chars> and authenticates with its role, name and tenants")
    void createdKeyAuthenticates() {
        ApiKeyStore store = ApiKeyStore.open(data);
        IssuedApiKey issued = store.create(Role.EDITOR, Optional.of(Set.of("acme", "globex")), "ci");

        assertThat(issued.token()).matches("gvl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        assertThat(issued.token()).startsWith("gvl_" + issued.key().id() + "_");
        assertThat(store.authenticate(issued.token()))
                .contains(new Principal("ci", Role.EDITOR, Optional.of(Set.of("acme", "globex"))));
    }

    @Test
    @DisplayName("a key without tenants sees every tenant, and without a name is called key-<id>")
    void defaults() {
        IssuedApiKey issued = ApiKeyStore.open(data).create(Role.READER, Optional.empty(), null);
        Principal p = ApiKeyStore.open(data).authenticate(issued.token()).orElseThrow();
        assertThat(p.tenants()).isEmpty();
        assertThat(p.canSeeTenant("anything")).isTrue();
        assertThat(p.name()).isEqualTo("key-" + issued.key().id());
    }

    @Test
    @DisplayName("a wrong secret, an unknown id and malformed tokens do not authenticate")
    void wrongSecretOrUnknownIdFails() {
        ApiKeyStore store = ApiKeyStore.open(data);
        IssuedApiKey issued = store.create(Role.ADMIN, Optional.empty(), "root");
        String id = issued.key().id();
        String secret = issued.token().substring(("gvl_" + id + "_").length());
        String otherSecret = (secret.charAt(0) == 'A' ? "B" : "A") + secret.substring(1);
        String otherId = (id.charAt(0) == 'a' ? "b" : "a") + id.substring(1);

        assertThat(store.authenticate("gvl_" + id + "_" + otherSecret)).isEmpty();
        assertThat(store.authenticate("gvl_" + otherId + "_" + secret)).isEmpty();
        assertThat(store.authenticate("gvl_" + id + "_" + secret + "x")).isEmpty();
        assertThat(store.authenticate("gvl_" + id)).isEmpty();
        assertThat(store.authenticate("gvl_")).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        assertThat(store.authenticate(null)).isEmpty();
        assertThat(store.authenticate(issued.token())).isPresent();
    }

    @Test
    @DisplayName("a revoked key stops authenticating, other keys keep working, and revoking again reports no such key")
    void revokedKeyFails() {
        ApiKeyStore store = ApiKeyStore.open(data);
        IssuedApiKey a = store.create(Role.EDITOR, Optional.empty(), "a");
        IssuedApiKey b = store.create(Role.EDITOR, Optional.empty(), "b");

        assertThat(store.revoke(a.key().id())).isTrue();
        assertThat(store.authenticate(a.token())).isEmpty();
        assertThat(store.authenticate(b.token())).isPresent();
        assertThat(store.list()).extracting(ApiKey::id).containsExactly(b.key().id());
        assertThat(store.revoke(a.key().id())).isFalse();
        assertThat(ApiKeyStore.open(data).authenticate(a.token())).isEmpty();
    }

    @Test
    @DisplayName("the key file holds the hash but never the secret, and lists id, name, role, tenants and time")
    void fileHoldsNoSecret() throws Exception {
        ApiKeyStore store = ApiKeyStore.open(data);
        IssuedApiKey issued = store.create(Role.READER, Optional.of(Set.of("acme")), "runtime");
        String secret = issued.token().substring(("gvl_" + issued.key().id() + "_").length());
        String file = Files.readString(data.resolve(ApiKeyStore.KEYS_FILE));

        assertThat(secret).hasSize(43);
        assertThat(issued.token()).endsWith(secret);
        assertThat(file).doesNotContain(secret).doesNotContain(issued.token());
        assertThat(file).contains(issued.key().id(), "runtime", "reader", "acme", "sha256:");
        assertThat(issued.toString()).doesNotContain(secret);
    }

    @Test
    @DisplayName("the key file and the admin token file are mode 600")
    void filesAreOwnerOnly() throws Exception {
        assumeTrue(OwnerOnlyFiles.posix(data), "POSIX file system");
        ApiKeyStore.ensureAdminKey(data);
        ApiKeyStore.open(data).create(Role.READER, Optional.empty(), "x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(ApiKeyStore.KEYS_FILE))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(data.resolve(ApiKeyStore.ADMIN_TOKEN_FILE))))
                .isEqualTo("rw-------");
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    @DisplayName("ensureAdminKey creates one admin key and admin.token on first start, and nothing on later starts")
    void ensureAdminKeyOnce() throws Exception {
        Optional<AdminTokenFile> first = ApiKeyStore.ensureAdminKey(data);
        assertThat(first)
                .contains(new AdminTokenFile(data.toAbsolutePath().resolve(ApiKeyStore.ADMIN_TOKEN_FILE), true));
        String token =
                Files.readString(first.get().path(), StandardCharsets.US_ASCII).strip();
        ApiKeyStore store = ApiKeyStore.open(data);
        assertThat(store.authenticate(token)).hasValueSatisfying(p -> {
            assertThat(p.role()).isEqualTo(Role.ADMIN);
            assertThat(p.tenants()).isEmpty();
        });

        Optional<AdminTokenFile> second = ApiKeyStore.ensureAdminKey(data);
        assertThat(second).contains(new AdminTokenFile(first.get().path(), false));
        assertThat(Files.readString(first.get().path(), StandardCharsets.US_ASCII)
                        .strip())
                .isEqualTo(token);
        assertThat(ApiKeyStore.open(data).list()).hasSize(1);
    }

    @Test
    @DisplayName("ensureAdminKey creates nothing when keys already exist")
    void ensureAdminKeyWithExistingKeys() {
        ApiKeyStore.open(data).create(Role.EDITOR, Optional.empty(), "ci");
        assertThat(ApiKeyStore.ensureAdminKey(data)).isEmpty();
        assertThat(data.resolve(ApiKeyStore.ADMIN_TOKEN_FILE)).doesNotExist();
        assertThat(ApiKeyStore.open(data).list()).extracting(ApiKey::name).containsExactly("ci");
    }

    @Test
    @DisplayName("revoking the first-start admin key removes admin.token, which would hold a dead key")
    void revokingAdminKeyRemovesTokenFile() {
        Path file = ApiKeyStore.ensureAdminKey(data).orElseThrow().path();
        ApiKeyStore store = ApiKeyStore.open(data);
        String id = store.list().get(0).id();
        store.create(Role.ADMIN, Optional.empty(), "second admin");
        assertThat(store.revoke(id)).isTrue();
        assertThat(file).doesNotExist();
    }

    @Test
    @DisplayName("a key created or revoked through another store (another process) is seen by a running one")
    void changesFromAnotherStoreAreSeen() {
        ApiKeyStore server = ApiKeyStore.open(data, Duration.ZERO);
        ApiKeyStore cli = ApiKeyStore.open(data);
        IssuedApiKey issued = cli.create(Role.READER, Optional.empty(), "late");
        assertThat(server.authenticate(issued.token())).isPresent();
        cli.revoke(issued.key().id());
        assertThat(server.authenticate(issued.token())).isEmpty();
    }

    @Test
    @DisplayName("keys created concurrently through several stores of one directory are all kept")
    void concurrentCreatesLoseNothing() throws Exception {
        List<ApiKeyStore> stores = List.of(ApiKeyStore.open(data), ApiKeyStore.open(data), ApiKeyStore.open(data));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<IssuedApiKey>> futures = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ApiKeyStore s = stores.get(i % stores.size());
            String name = "k" + i;
            futures.add(pool.submit(() -> s.create(Role.READER, Optional.empty(), name)));
        }
        List<IssuedApiKey> issued = new ArrayList<>();
        for (Future<IssuedApiKey> f : futures) {
            issued.add(f.get());
        }
        pool.shutdown();
        ApiKeyStore fresh = ApiKeyStore.open(data);
        assertThat(fresh.list()).hasSize(24);
        assertThat(issued)
                .allSatisfy(k -> assertThat(fresh.authenticate(k.token())).isPresent());
    }

    @Test
    @DisplayName("invalid tenant names and key names are refused before anything is written")
    void invalidInputIsRefused() {
        ApiKeyStore store = ApiKeyStore.open(data);
        assertThatThrownBy(() -> store.create(Role.READER, Optional.of(Set.of("Acme")), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant 'Acme'");
        assertThatThrownBy(() -> store.create(Role.READER, Optional.of(Set.of("-acme")), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create(Role.READER, Optional.empty(), "Eve <eve@x>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key name");
        assertThat(data.resolve(ApiKeyStore.KEYS_FILE)).doesNotExist();
    }

    @Test
    @DisplayName("a corrupt key file is reported with its path on open; a running store keeps the keys it had")
    void corruptFile() throws Exception {
        ApiKeyStore server = ApiKeyStore.open(data, Duration.ZERO);
        IssuedApiKey issued = server.create(Role.READER, Optional.empty(), "x");
        Path file = data.resolve(ApiKeyStore.KEYS_FILE);
        Files.writeString(file, "{ not json");

        assertThatThrownBy(() -> ApiKeyStore.open(data))
                .isInstanceOf(ApiKeyFileException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("not a valid key file");
        assertThat(server.authenticate(issued.token())).isPresent();
    }

    @Test
    @DisplayName("a key file entry with an unknown role is reported with its position")
    void invalidEntry() throws Exception {
        Files.writeString(data.resolve(ApiKeyStore.KEYS_FILE), """
        {"version":1,"keys":[{"id":"0123456789ab","name":"x","role":"root","tenants":null,
          "createdAt":"2026-01-01T00:00:00Z","hash":"sha256:%s"}]}
        """.formatted("0".repeat(64)));
        assertThatThrownBy(() -> ApiKeyStore.open(data))
                .isInstanceOf(ApiKeyFileException.class)
                .hasMessageContaining("keys[0]")
                .hasMessageContaining("role");
    }

    @Test
    @DisplayName("listing a data directory that does not exist shows no keys and creates nothing")
    void missingDirectory() {
        Path missing = data.resolve("nope");
        assertThat(ApiKeyStore.open(missing).list()).isEmpty();
        assertThat(missing).doesNotExist();
    }
}
