package dev.gavel.api.auth;

import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Authorization: Bearer <token>}: a token starting {@code gvl_} is an API key, anything else
 * a JWT (when JWTs are configured). Never throws for bad input and never logs a token.
 */
public final class BearerAuthenticator implements Authenticator {
    /** Longer headers are refused before any parsing; real tokens are far shorter. */
    static final int MAX_HEADER_LENGTH = 8192;

    private static final Logger LOG = LoggerFactory.getLogger(BearerAuthenticator.class);
    private static final String SCHEME = "bearer ";

    private final ApiKeyStore apiKeys;
    private final Optional<JwtVerifier> jwt;

    private BearerAuthenticator(ApiKeyStore apiKeys, Optional<JwtVerifier> jwt) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.jwt = jwt;
    }

    /**
     * Opens the API keys of {@code config.dataDir()} and sets up JWT verification when configured.
     *
     * @throws AuthConfigException when the JWT configuration is unusable
     * @throws ApiKeyFileException when the key file exists but cannot be read
     */
    public static BearerAuthenticator fromConfig(AuthConfig config) {
        Optional<JwtVerifier> jwt = JwtVerifier.fromConfig(config);
        return new BearerAuthenticator(ApiKeyStore.open(config.dataDir()), jwt);
    }

    /** API keys of {@code apiKeys}, plus JWTs when {@code config} enables them (its data dir is ignored). */
    public static BearerAuthenticator of(ApiKeyStore apiKeys, AuthConfig config) {
        return new BearerAuthenticator(apiKeys, JwtVerifier.fromConfig(config));
    }

    /** The key store, for token management and the first-start admin key. */
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    public boolean jwtEnabled() {
        return jwt.isPresent();
    }

    @Override
    public Optional<Principal> authenticate(String authorizationHeader) {
        try {
            return bearerToken(authorizationHeader).flatMap(this::authenticateToken);
        } catch (RuntimeException e) {
            // A bug or an I/O problem must not turn into a 500 carrying details; it is a failed login.
            LOG.warn("authentication failed unexpectedly: {}", e.toString());
            return Optional.empty();
        }
    }

    private Optional<Principal> authenticateToken(String token) {
        if (token.startsWith(ApiKeyStore.PREFIX)) {
            return apiKeys.authenticate(token);
        }
        return jwt.flatMap(v -> v.verify(token));
    }

    /** The token of a {@code Bearer} header (scheme case-insensitive, RFC 7235), if that is what it is. */
    static Optional<String> bearerToken(String header) {
        if (header == null || header.length() > MAX_HEADER_LENGTH || header.length() <= SCHEME.length()) {
            return Optional.empty();
        }
        if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = header.substring(SCHEME.length()).strip();
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    @Override
    public String toString() {
        return "BearerAuthenticator[keys=" + apiKeys.keysFile() + ", jwt=" + (jwt.isPresent() ? "on" : "off") + "]";
    }
}
