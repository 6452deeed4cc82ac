package dev.gavel.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.api.auth.AuthConfig;
import dev.gavel.api.auth.BearerAuthenticator;
import dev.gavel.api.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeAdminKeyTest {
    @TempDir
    Path data;

    @Test
    @DisplayName("the first-start admin key authenticates at once, not only after the key file's next check")
    void adminKeyWorksOnTheFirstRequest() throws Exception {
        BearerAuthenticator authenticator = BearerAuthenticator.fromConfig(AuthConfig.apiKeysOnly(data));
        assertThat(ServeCommand.ensureAdminKey(authenticator))
                .hasValueSatisfying(f -> assertThat(f.created()).isTrue());
        String token = Files.readString(data.resolve("admin.token")).strip();
        assertThat(authenticator.authenticate("Bearer " + token))
                .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.ADMIN));
    }
}
