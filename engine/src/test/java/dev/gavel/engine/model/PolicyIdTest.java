package dev.gavel.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class PolicyIdTest {

    @Test
    void sameScopeAndNameGiveTheSameIdAndDifferentOnesDiffer() {
        PolicyId a = PolicyId.of(ScopePath.parse("acme.chat"), "token-limits");
        assertThat(PolicyId.of(PolicyPath.parse("policies/acme/chat/token-limits.yaml")))
                .isEqualTo(a);
        assertThat(PolicyId.of(ScopePath.parse("acme"), "token-limits")).isNotEqualTo(a);
        assertThat(PolicyId.of(ScopePath.parse("acme.chat"), "token-limit")).isNotEqualTo(a);
        // The global scope's policy "acme.chat" must not collide with anything above either.
        assertThat(PolicyId.of(ScopePath.GLOBAL, "chat")).isNotEqualTo(PolicyId.of(ScopePath.parse("acme"), "chat"));
    }

    @Test
    void isAVersion5UuidThatNeverChangesAcrossReleases() {
        UUID u = UUID.fromString(
                PolicyId.of(ScopePath.parse("acme"), "token-limits").uuid());
        assertThat(u.version()).isEqualTo(5);
        assertThat(u.variant()).isEqualTo(2);
        // Pinned: ids are kept by clients, so the derivation may never change.
        assertThat(PolicyId.of(ScopePath.parse("acme"), "token-limits").uuid())
                .isEqualTo("ebd381bd-1032-5aab-903f-4fc5640d91d9");
    }

    @Test
    void ulidIsTwentySixCrockfordDigits() {
        String ulid = PolicyId.of(ScopePath.GLOBAL, "eu-residency").ulid();
        assertThat(ulid).hasSize(26).matches("[0-7][0-9A-HJKMNP-TV-Z]{25}");
        assertThat(PolicyId.parseUlid(ulid.toLowerCase())).contains(PolicyId.of(ScopePath.GLOBAL, "eu-residency"));
    }

    @Test
    void refusesWhatIsNotAnId() {
        assertThat(PolicyId.parseUuid("not-a-uuid")).isEmpty();
        assertThat(PolicyId.parseUuid("")).isEmpty();
        assertThat(PolicyId.parseUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ")).isEmpty();
        assertThat(PolicyId.parseUlid("0000000000000000000000000U")).isEmpty();
        assertThat(PolicyId.parseUlid(null)).isEmpty();
    }

    @Property
    void uuidAndUlidRoundTrip(@ForAll long msb, @ForAll long lsb) {
        PolicyId id = new PolicyId(msb, lsb);
        assertThat(PolicyId.parseUuid(id.uuid())).contains(id);
        assertThat(PolicyId.parseUlid(id.ulid())).contains(id);
    }

    @Property
    void namesGiveDistinctIds(
            @ForAll @AlphaChars @StringLength(min = 1, max = 10) String a,
            @ForAll @AlphaChars @StringLength(min = 1, max = 10) String b) {
        String na = a.toLowerCase();
        String nb = b.toLowerCase();
        if (!na.equals(nb)) {
            assertThat(PolicyId.of(ScopePath.GLOBAL, na)).isNotEqualTo(PolicyId.of(ScopePath.GLOBAL, nb));
        }
    }
}
