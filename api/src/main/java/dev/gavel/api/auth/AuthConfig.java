package dev.gavel.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How callers authenticate: API keys from {@code dataDir} always; JWTs when an HS256 secret or an
 * RS256 JWKS file is configured.
 *
 * @param hs256Secret the HMAC key for HS256 JWTs; its UTF-8 bytes are the key (as jwt.io and most
 *     libraries treat a string secret), at least 32 bytes
 * @param jwksFile a local JWKS file holding the RSA public keys for RS256 JWTs
 * @param issuer when present, a JWT's {@code iss} must equal it
 * @param audience when present, a JWT's {@code aud} must contain it
 */
public record AuthConfig(
        Path dataDir,
        Optional<String> hs256Secret,
        Optional<Path> jwksFile,
        Optional<String> issuer,
        Optional<String> audience) {

    /** RFC 7518 section 3.2: an HS256 key must be at least as long as the hash output. */
    public static final int MIN_SECRET_BYTES = 32;

    public static final String ENV_HS256_SECRET = "GAVEL_JWT_HS256_SECRET";
    public static final String ENV_HS256_SECRET_FILE = "GAVEL_JWT_HS256_SECRET_FILE";
    public static final String ENV_JWKS_FILE = "GAVEL_JWT_JWKS_FILE";
    public static final String ENV_ISSUER = "GAVEL_JWT_ISSUER";
    public static final String ENV_AUDIENCE = "GAVEL_JWT_AUDIENCE";

    /** @throws AuthConfigException when the secret is shorter than {@link #MIN_SECRET_BYTES} */
    public AuthConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        hs256Secret = nonBlank(hs256Secret);
        jwksFile = jwksFile == null ? Optional.empty() : jwksFile;
        issuer = nonBlank(issuer);
        audience = nonBlank(audience);
        if (hs256Secret.isPresent() && hs256Secret.get().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new AuthConfigException("the HS256 JWT secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (e.g. the output of: openssl rand -base64 32)");
        }
    }

    /** API keys only, no JWTs. */
    public static AuthConfig apiKeysOnly(Path dataDir) {
        return new AuthConfig(dataDir, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Reads the JWT settings from environment variables ({@value #ENV_HS256_SECRET} or
     * {@value #ENV_HS256_SECRET_FILE}, {@value #ENV_JWKS_FILE}, {@value #ENV_ISSUER},
     * {@value #ENV_AUDIENCE}); secrets belong in the environment or a file, not on a command line
     * that {@code ps} shows.
     *
     * @throws AuthConfigException when both secret variables are set, the secret file cannot be read,
     *     or the secret is too short
     */
    public static AuthConfig fromEnvironment(Path dataDir, Map<String, String> env) {
        Optional<String> secret = nonBlank(Optional.ofNullable(env.get(ENV_HS256_SECRET)));
        Optional<String> secretFile = nonBlank(Optional.ofNullable(env.get(ENV_HS256_SECRET_FILE)));
        if (secret.isPresent() && secretFile.isPresent()) {
            throw new AuthConfigException("set only one of " + ENV_HS256_SECRET + " and " + ENV_HS256_SECRET_FILE);
        }
        if (secretFile.isPresent()) {
            Path file = Path.of(secretFile.get());
            try {
                // A trailing newline from `echo ... > file` is not part of the secret.
                secret = Optional.of(
                        Files.readString(file, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new AuthConfigException("cannot read the JWT secret file " + file + ": " + e.getMessage(), e);
            }
        }
        return new AuthConfig(
                dataDir,
                secret,
                nonBlank(Optional.ofNullable(env.get(ENV_JWKS_FILE))).map(Path::of),
                nonBlank(Optional.ofNullable(env.get(ENV_ISSUER))),
                nonBlank(Optional.ofNullable(env.get(ENV_AUDIENCE))));
    }

    public boolean jwtEnabled() {
        return hs256Secret.isPresent() || jwksFile.isPresent();
    }

    /** Without the secret, so that logging the configuration leaks nothing. */
    @Override
    public String toString() {
        return "AuthConfig[dataDir=" + dataDir
                + ", hs256Secret=" + (hs256Secret.isPresent() ? "<redacted>" : "none")
                + ", jwksFile=" + jwksFile.map(Path::toString).orElse("none")
                + ", issuer=" + issuer.orElse("any")
                + ", audience=" + audience.orElse("any") + "]";
    }

    private static Optional<String> nonBlank(Optional<String> s) {
        return s == null ? Optional.empty() : s.filter(v -> !v.isBlank());
    }
}
