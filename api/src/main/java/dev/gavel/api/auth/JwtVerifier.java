package dev.gavel.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gavel.engine.model.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies JWTs with nimbus-jose-jwt: signature (HS256 with the configured secret, RS256 with the
 * RSA keys of the configured JWKS file; nothing else, so no {@code alg: none} and no HS256 token
 * signed with an RSA public key), {@code exp} required, {@code nbf} honoured, both with
 * {@value #CLOCK_SKEW_SECONDS} s of clock skew, {@code iss}/{@code aud} when configured; then the
 * Gavel claims {@code sub}, {@code role} and {@code tenants}.
 */
final class JwtVerifier {
    static final int CLOCK_SKEW_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);

    private final DefaultJWTProcessor<SecurityContext> processor;

    private JwtVerifier(DefaultJWTProcessor<SecurityContext> processor) {
        this.processor = processor;
    }

    /**
     * @return empty when the configuration enables no JWTs
     * @throws AuthConfigException when the JWKS file cannot be read or holds no RSA key
     */
    static Optional<JwtVerifier> fromConfig(AuthConfig config) {
        if (!config.jwtEnabled()) {
            return Optional.empty();
        }
        List<JWK> keys = new ArrayList<>();
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        config.hs256Secret().ifPresent(secret -> {
            keys.add(new OctetSequenceKey.Builder(secret.getBytes(StandardCharsets.UTF_8))
                    .algorithm(JWSAlgorithm.HS256)
                    .keyUse(KeyUse.SIGNATURE)
                    .build());
            algorithms.add(JWSAlgorithm.HS256);
        });
        config.jwksFile().ifPresent(file -> {
            keys.addAll(rsaKeys(file));
            algorithms.add(JWSAlgorithm.RS256);
        });

        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // The selector only hands out keys of the type an algorithm needs (oct for HS256, RSA for
        // RS256) and refuses algorithms not listed: this is what stops alg confusion and alg none.
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(new JWKSet(keys))));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        config.issuer().ifPresent(exact::issuer);
        Set<String> required = new HashSet<>(Set.of("sub", "exp", "role"));
        config.issuer().ifPresent(i -> required.add("iss"));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                config.audience().map(Set::of).orElse(null), exact.build(), required, null);
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        return Optional.of(new JwtVerifier(processor));
    }

    /** The caller the token stands for; empty when it is malformed, badly signed, expired or lacks a valid claim. */
    Optional<Principal> verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            // The reason only, never the token.
            LOG.debug("JWT rejected: {}", e.getMessage());
            return Optional.empty();
        }
        return principal(claims);
    }

    private static Optional<Principal> principal(JWTClaimsSet claims) {
        try {
            String subject = claims.getSubject();
            Optional<Role> role = Role.fromValue(claims.getStringClaim("role"));
            if (subject == null || subject.isBlank() || role.isEmpty()) {
                LOG.debug("JWT rejected: blank sub or role not reader|editor|admin");
                return Optional.empty();
            }
            Optional<Set<String>> tenants = Optional.empty();
            if (claims.getClaim("tenants") != null) {
                List<String> list = claims.getStringListClaim("tenants");
                if (!list.stream().allMatch(Names::isValid)) {
                    LOG.debug("JWT rejected: a tenant is not a valid name");
                    return Optional.empty();
                }
                tenants = Optional.of(Set.copyOf(list));
            }
            return Optional.of(new Principal(subject, role.get(), tenants));
        } catch (ParseException e) {
            LOG.debug("JWT rejected: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static List<RSAKey> rsaKeys(Path file) {
        JWKSet set;
        try {
            set = JWKSet.load(file.toFile());
        } catch (IOException e) {
            throw new AuthConfigException("cannot read the JWKS file " + file + ": " + e.getMessage(), e);
        } catch (ParseException e) {
            throw new AuthConfigException("the JWKS file " + file + " is not a valid JWK set: " + e.getMessage(), e);
        }
        // Public parts only: a private key in the file is never needed to verify.
        List<RSAKey> rsa = set.toPublicJWKSet().getKeys().stream()
                .filter(k -> k instanceof RSAKey)
                .map(k -> (RSAKey) k)
                .toList();
        if (rsa.isEmpty()) {
            throw new AuthConfigException("the JWKS file " + file + " holds no RSA key");
        }
        return rsa;
    }
}
