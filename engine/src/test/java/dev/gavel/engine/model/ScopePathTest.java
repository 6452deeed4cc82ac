package dev.gavel.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopePathTest {
    @Test
    @DisplayName("a dotted scope has segments, a directory, a parent and ancestors global-first")
    void navigation() {
        ScopePath s = ScopePath.parse("acme.chat.support-bot.prod");
        assertThat(s.segments()).containsExactly("acme", "chat", "support-bot", "prod");
        assertThat(s.depth()).isEqualTo(4);
        assertThat(s.dotted()).isEqualTo("acme.chat.support-bot.prod");
        assertThat(s.directory()).isEqualTo("policies/acme/chat/support-bot/prod");
        assertThat(s.parent()).contains(ScopePath.parse("acme.chat.support-bot"));
        assertThat(s.ancestors())
                .containsExactly(
                        ScopePath.GLOBAL,
                        ScopePath.of("acme"),
                        ScopePath.of("acme", "chat"),
                        ScopePath.of("acme", "chat", "support-bot"));
        assertThat(s.lineage()).endsWith(s).hasSize(5);
        assertThat(s.isWithin(ScopePath.of("acme", "chat"))).isTrue();
        assertThat(ScopePath.of("acme", "chatter").isWithin(ScopePath.of("acme", "chat")))
                .isFalse();
    }

    @Test
    @DisplayName("the empty string (or _ in URLs) is the global scope")
    void global() {
        ScopePath g = ScopePath.parse("");
        assertThat(g).isEqualTo(ScopePath.GLOBAL).isEqualTo(ScopePath.fromUrl("_"));
        assertThat(g.isGlobal()).isTrue();
        assertThat(g.dotted()).isEmpty();
        assertThat(g.url()).isEqualTo("_");
        assertThat(g.directory()).isEqualTo("policies");
        assertThat(g.parent()).isEmpty();
        assertThat(g.ancestors()).isEmpty();
        assertThat(g.depth()).isZero();
        assertThat(g.child("acme").dotted()).isEqualTo("acme");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Acme",
                "acme..chat",
                ".acme",
                "acme.",
                "acme/chat",
                "..",
                "acme.-x",
                "a_b",
                "acme.chat bot",
                "x.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "_"
            })
    @DisplayName("invalid segments are rejected with a message naming the segment")
    void invalid(String scope) {
        assertThatThrownBy(() -> ScopePath.parse(scope))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scope segment '")
                .hasMessageContaining("is not a valid name");
    }
}
