package dev.gavel.api.cli;

import static dev.gavel.api.cli.CliRun.gavel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.api.auth.ApiKeyStore;
import dev.gavel.api.auth.AuthConfig;
import dev.gavel.api.auth.BearerAuthenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
    @TempDir
    Path tmp;

    private String create(Path data, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "token";
        all[1] = "create";
        all[2] = "--data";
        all[3] = data.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        CliRun run = gavel(all);
        assertThat(run.exit()).as(run.err()).isZero();
        return run.out();
    }

    @Test
    @DisplayName(
            "token create prints only the key on stdout, and that key authenticates with the role and tenants asked for")
    void createdKeyAuthenticates() {
        Path data = tmp.resolve("data");
        String out = create(data, "--role", "editor", "--tenant", "acme", "--tenant", "globex", "--name", "ci");

        assertThat(out).matches("gvl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\\R");
        BearerAuthenticator auth = BearerAuthenticator.fromConfig(AuthConfig.apiKeysOnly(data));
        assertThat(auth.authenticate("Bearer " + out.strip()))
                .contains(new Principal("ci", Role.EDITOR, Optional.of(Set.of("acme", "globex"))));
    }

    @Test
    @DisplayName("token create explains on stderr that the key is shown once, without repeating the key")
    void createNote() {
        Path data = tmp.resolve("data");
        CliRun run = gavel("token", "create", "--role", "admin", "--data", data.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.err())
                .contains("admin key")
                .contains("shown only this once")
                .doesNotContain(run.out().strip());
        assertThat(BearerAuthenticator.fromConfig(AuthConfig.apiKeysOnly(data))
                        .authenticate("Bearer " + run.out().strip()))
                .hasValueSatisfying(p -> {
                    assertThat(p.role()).isEqualTo(Role.ADMIN);
                    assertThat(p.tenants()).isEmpty();
                });
    }

    @Test
    @DisplayName(
            "an unknown role, an invalid tenant or name, or a missing --role is a usage error (exit 2) that creates nothing")
    void usageErrors() {
        Path data = tmp.resolve("data");
        CliRun badRole = gavel("token", "create", "--role", "root", "--data", data.toString());
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("gavel: ").contains("--role 'root'").doesNotContain("Exception");
        assertThat(badRole.out()).isEmpty();

        CliRun badTenant =
                gavel("token", "create", "--role", "reader", "--tenant", "Acme Corp", "--data", data.toString());
        assertThat(badTenant.exit()).isEqualTo(2);
        assertThat(badTenant.err()).contains("--tenant 'Acme Corp'").contains("not a valid name");

        CliRun badName = gavel("token", "create", "--role", "reader", "--name", "x <y>", "--data", data.toString());
        assertThat(badName.exit()).isEqualTo(2);

        CliRun noRole = gavel("token", "create", "--data", data.toString());
        assertThat(noRole.exit()).isEqualTo(2);
        assertThat(noRole.err()).contains("--role");

        assertThat(data.resolve(ApiKeyStore.KEYS_FILE)).doesNotExist();
    }

    @Test
    @DisplayName("token list shows id, name, role and tenants of every key, never a secret")
    void list() throws Exception {
        Path data = tmp.resolve("data");
        String reader = create(data, "--role", "reader", "--tenant", "acme", "--name", "runtime")
                .strip();
        String admin = create(data, "--role", "admin", "--name", "ops").strip();

        CliRun run = gavel("token", "list", "--data", data.toString());
        assertThat(run.exit()).isZero();
        var lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("ID", "NAME", "ROLE", "TENANTS", "CREATED");
        assertThat(lines.get(1)).contains(idOf(reader), "runtime", "reader", "acme");
        assertThat(lines.get(2)).contains(idOf(admin), "ops", "admin", "*");
        assertThat(run.out()).doesNotContain(secretOf(reader)).doesNotContain(secretOf(admin));
        assertThat(Files.readString(data.resolve(ApiKeyStore.KEYS_FILE)))
                .doesNotContain(secretOf(reader))
                .doesNotContain(secretOf(admin));
    }

    @Test
    @DisplayName("token list on an empty data directory prints nothing on stdout and says so on stderr")
    void listEmpty() {
        CliRun run = gavel("token", "list", "--data", tmp.resolve("none").toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("No API keys");
    }

    @Test
    @DisplayName("token revoke makes the key stop authenticating; an unknown id exits 1 with a message")
    void revoke() {
        Path data = tmp.resolve("data");
        String key = create(data, "--role", "editor").strip();
        BearerAuthenticator auth = BearerAuthenticator.fromConfig(AuthConfig.apiKeysOnly(data));
        assertThat(auth.authenticate("Bearer " + key)).isPresent();

        CliRun run = gavel("token", "revoke", idOf(key), "--data", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(BearerAuthenticator.fromConfig(AuthConfig.apiKeysOnly(data)).authenticate("Bearer " + key))
                .isEmpty();

        CliRun again = gavel("token", "revoke", idOf(key), "--data", data.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("gavel: no API key with id '" + idOf(key) + "'");
    }

    @Test
    @DisplayName("a corrupt key file is reported as one line naming it, exit 1, no stack trace")
    void corruptFile() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve(ApiKeyStore.KEYS_FILE), "[1,2");
        CliRun run = gavel("token", "list", "--data", data.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("gavel: ")
                .contains(ApiKeyStore.KEYS_FILE)
                .doesNotContain("\tat ");
    }

    private static String idOf(String key) {
        return key.substring(4, 16);
    }

    private static String secretOf(String key) {
        return key.substring(17);
    }
}
