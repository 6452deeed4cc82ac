package dev.gavel.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthConfigTest {
    private static final String SECRET = "s".repeat(32);

    @TempDir
    Path tmp;

    @Test
    @DisplayName("an HS256 secret shorter than 32 bytes is refused with a message saying so")
    void shortSecret() {
        assertThatThrownBy(() -> new AuthConfig(
                        tmp, Optional.of("s".repeat(31)), Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(AuthConfigException.class)
                .hasMessageContaining("at least 32 bytes");
        assertThat(new AuthConfig(tmp, Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty())
                        .jwtEnabled())
                .isTrue();
    }

    @Test
    @DisplayName("toString never shows the secret")
    void toStringRedacts() {
        AuthConfig config =
                new AuthConfig(tmp, Optional.of(SECRET), Optional.empty(), Optional.of("iss"), Optional.empty());
        assertThat(config.toString())
                .doesNotContain(SECRET)
                .contains("<redacted>")
                .contains("iss");
    }

    @Test
    @DisplayName(
            "the environment supplies the secret (directly or from a file, stripped), JWKS path, issuer and audience")
    void fromEnvironment() throws Exception {
        AuthConfig none = AuthConfig.fromEnvironment(tmp, Map.of());
        assertThat(none.jwtEnabled()).isFalse();

        Path secretFile = Files.writeString(tmp.resolve("secret"), SECRET + "\n");
        AuthConfig config = AuthConfig.fromEnvironment(
                tmp,
                Map.of(
                        AuthConfig.ENV_HS256_SECRET_FILE, secretFile.toString(),
                        AuthConfig.ENV_JWKS_FILE, "/etc/gavel/jwks.json",
                        AuthConfig.ENV_ISSUER, "https://idp.example",
                        AuthConfig.ENV_AUDIENCE, "gavel"));
        assertThat(config.hs256Secret()).contains(SECRET);
        assertThat(config.jwksFile()).contains(Path.of("/etc/gavel/jwks.json"));
        assertThat(config.issuer()).contains("https://idp.example");
        assertThat(config.audience()).contains("gavel");
    }

    @Test
    @DisplayName("setting both secret variables, or an unreadable secret file, is a configuration error")
    void conflictingEnvironment() {
        assertThatThrownBy(() -> AuthConfig.fromEnvironment(
                        tmp, Map.of(AuthConfig.ENV_HS256_SECRET, SECRET, AuthConfig.ENV_HS256_SECRET_FILE, "/x")))
                .isInstanceOf(AuthConfigException.class)
                .hasMessageContaining("only one");
        assertThatThrownBy(() -> AuthConfig.fromEnvironment(
                        tmp,
                        Map.of(
                                AuthConfig.ENV_HS256_SECRET_FILE,
                                tmp.resolve("missing").toString())))
                .isInstanceOf(AuthConfigException.class)
                .hasMessageContaining("missing");
    }
}
