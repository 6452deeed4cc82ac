package dev.gavel.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthenticationTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    private static RSAKey rsa;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generateRsaKey() throws JOSEException {
        rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
    }

    private AuthConfig hs256() {
        return new AuthConfig(tmp, Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private AuthConfig rs256() throws Exception {
        Path jwks = tmp.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(rsa.toPublicJWK()).toString());
        return new AuthConfig(tmp, Optional.empty(), Optional.of(jwks), Optional.empty(), Optional.empty());
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject("alice")
                .claim("role", "editor")
                .claim("tenants", List.of("acme"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String hs(JWTClaimsSet claims, byte[] key) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    private static String hs(UnaryOperator<JWTClaimsSet.Builder> edit) throws JOSEException {
        return hs(edit.apply(claims()).build(), SECRET.getBytes(StandardCharsets.UTF_8));
    }

    private static String rs(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    private static Optional<Principal> auth(AuthConfig config, String token) {
        return BearerAuthenticator.fromConfig(config).authenticate("Bearer " + token);
    }

    @Test
    @DisplayName("a valid HS256 token gives its sub, role and tenants")
    void validHs256() throws Exception {
        assertThat(auth(hs256(), hs(b -> b)))
                .contains(new Principal("alice", Role.EDITOR, Optional.of(Set.of("acme"))));
    }

    @Test
    @DisplayName("without a tenants claim the token sees every tenant; an empty list sees none")
    void tenantsClaim() throws Exception {
        assertThat(auth(hs256(), hs(b -> b.claim("tenants", null)))).hasValueSatisfying(p -> {
            assertThat(p.tenants()).isEmpty();
            assertThat(p.canSeeTenant("globex")).isTrue();
        });
        assertThat(auth(hs256(), hs(b -> b.claim("tenants", List.of())))).hasValueSatisfying(p -> {
            assertThat(p.tenants()).contains(Set.of());
            assertThat(p.canSeeTenant("acme")).isFalse();
        });
    }

    @Test
    @DisplayName("an expired token is rejected; one expired within the clock skew is still accepted")
    void expired() throws Exception {
        Instant now = Instant.now();
        assertThat(auth(hs256(), hs(b -> b.expirationTime(Date.from(now.minusSeconds(120))))))
                .isEmpty();
        assertThat(auth(hs256(), hs(b -> b.expirationTime(Date.from(now.minusSeconds(5))))))
                .isPresent();
    }

    @Test
    @DisplayName("a token without exp is rejected")
    void missingExp() throws Exception {
        assertThat(auth(hs256(), hs(b -> b.expirationTime(null)))).isEmpty();
    }

    @Test
    @DisplayName("a token whose nbf lies beyond the clock skew is rejected")
    void notYetValid() throws Exception {
        assertThat(auth(hs256(), hs(b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(600))))))
                .isEmpty();
        assertThat(auth(hs256(), hs(b -> b.notBeforeTime(Date.from(Instant.now().minusSeconds(10))))))
                .isPresent();
    }

    @Test
    @DisplayName("a token signed with another secret is rejected")
    void wrongSignature() throws Exception {
        String token = hs(claims().build(), "another-secret-another-secret-another!".getBytes(StandardCharsets.UTF_8));
        assertThat(auth(hs256(), token)).isEmpty();
    }

    @Test
    @DisplayName("a token with a tampered payload is rejected")
    void tamperedPayload() throws Exception {
        String[] parts = hs(b -> b).split("\\.");
        String adminPayload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        claims().claim("role", "admin").build().toString().getBytes(StandardCharsets.UTF_8));
        assertThat(auth(hs256(), parts[0] + "." + adminPayload + "." + parts[2]))
                .isEmpty();
    }

    @Test
    @DisplayName("an unsecured token (alg none) is rejected, whatever its claims")
    void algNone() throws Exception {
        String token = new PlainJWT(claims().claim("role", "admin").build()).serialize();
        assertThat(token).endsWith(".");
        assertThat(auth(hs256(), token)).isEmpty();
        assertThat(auth(rs256(), token)).isEmpty();
    }

    @Test
    @DisplayName("a token without a role, or with a role that is not reader|editor|admin, is rejected")
    void missingOrUnknownRole() throws Exception {
        assertThat(auth(hs256(), hs(b -> b.claim("role", null)))).isEmpty();
        assertThat(auth(hs256(), hs(b -> b.claim("role", "root")))).isEmpty();
        assertThat(auth(hs256(), hs(b -> b.claim("role", "Admin")))).isEmpty();
    }

    @Test
    @DisplayName("a token without sub is rejected")
    void missingSubject() throws Exception {
        assertThat(auth(hs256(), hs(b -> b.subject(null)))).isEmpty();
    }

    @Test
    @DisplayName("a token with an invalid tenant name or a tenants claim that is not a list of strings is rejected")
    void badTenants() throws Exception {
        assertThat(auth(hs256(), hs(b -> b.claim("tenants", List.of("acme", "../etc")))))
                .isEmpty();
        assertThat(auth(hs256(), hs(b -> b.claim("tenants", List.of("Acme"))))).isEmpty();
        assertThat(auth(hs256(), hs(b -> b.claim("tenants", "acme")))).isEmpty();
        assertThat(auth(hs256(), hs(b -> b.claim("tenants", List.of(1, 2))))).isEmpty();
    }

    @Test
    @DisplayName("RS256 tokens verify against the RSA keys of a JWKS file; one signed by another key does not")
    void rs256ViaJwks() throws Exception {
        AuthConfig config = rs256();
        assertThat(auth(config, rs(claims().claim("role", "admin").build())))
                .contains(new Principal("alice", Role.ADMIN, Optional.of(Set.of("acme"))));

        RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims().build());
        forged.sign(new RSASSASigner(other));
        assertThat(auth(config, forged.serialize())).isEmpty();
    }

    @Test
    @DisplayName(
            "under an RS256 config an HS256 token is rejected, also when keyed with the RSA public key (alg confusion)")
    void hs256RejectedUnderRs256() throws Exception {
        AuthConfig config = rs256();
        assertThat(auth(config, hs(b -> b))).isEmpty();
        assertThat(auth(config, hs(claims().build(), rsa.toRSAPublicKey().getEncoded())))
                .isEmpty();
        assertThat(auth(
                        config,
                        hs(claims().build(), rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
    }

    @Test
    @DisplayName(
            "with HS256 and RS256 both configured, each verifies its own tokens and an RSA-keyed HS256 token fails")
    void bothConfigured() throws Exception {
        AuthConfig rs = rs256();
        AuthConfig both = new AuthConfig(tmp, Optional.of(SECRET), rs.jwksFile(), Optional.empty(), Optional.empty());
        assertThat(auth(both, hs(b -> b))).isPresent();
        assertThat(auth(both, rs(claims().build()))).isPresent();
        assertThat(auth(both, hs(claims().build(), rsa.toRSAPublicKey().getEncoded())))
                .isEmpty();
    }

    @Test
    @DisplayName("with an issuer and audience configured, tokens must carry them")
    void issuerAndAudience() throws Exception {
        AuthConfig config = new AuthConfig(
                tmp, Optional.of(SECRET), Optional.empty(), Optional.of("https://idp.example"), Optional.of("gavel"));
        assertThat(auth(config, hs(b -> b.issuer("https://idp.example").audience("gavel"))))
                .isPresent();
        assertThat(auth(config, hs(b -> b.issuer("https://idp.example").audience(List.of("other", "gavel")))))
                .isPresent();
        assertThat(auth(config, hs(b -> b.issuer("https://evil.example").audience("gavel"))))
                .isEmpty();
        assertThat(auth(config, hs(b -> b.issuer("https://idp.example").audience("other"))))
                .isEmpty();
        assertThat(auth(config, hs(b -> b.audience("gavel")))).isEmpty();
        assertThat(auth(config, hs(b -> b.issuer("https://idp.example")))).isEmpty();
    }

    @Test
    @DisplayName("without a JWT configuration no JWT authenticates")
    void jwtOff() throws Exception {
        assertThat(auth(AuthConfig.apiKeysOnly(tmp), hs(b -> b))).isEmpty();
    }

    @Test
    @DisplayName("a JWKS file that is missing, not JSON or without RSA keys is a configuration error naming the file")
    void badJwksFile() throws Exception {
        Path missing = tmp.resolve("missing.json");
        Path notJson = Files.writeString(tmp.resolve("bad.json"), "nope");
        Path noRsa = Files.writeString(tmp.resolve("empty.json"), "{\"keys\":[]}");
        for (Path p : List.of(missing, notJson, noRsa)) {
            AuthConfig config =
                    new AuthConfig(tmp, Optional.empty(), Optional.of(p), Optional.empty(), Optional.empty());
            assertThatThrownBy(() -> BearerAuthenticator.fromConfig(config))
                    .isInstanceOf(AuthConfigException.class)
                    .hasMessageContaining(p.toString());
        }
    }
}
