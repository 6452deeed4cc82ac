package dev.gavel.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.eval.RequestFact;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RequestTest {
    @Test
    @DisplayName("attributes keep strings and booleans, widen integers to Long, drop nulls and refuse other types")
    void attributeNormalisation() {
        Map<String, Object> given = new HashMap<>();
        given.put("s", "x");
        given.put("i", 7);
        given.put("b", true);
        given.put("gone", null);
        Request request = new Request(null, null, null, null, null, null, given);
        assertThat(request.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("s", "x", "i", 7L, "b", true));
        assertThatThrownBy(() -> new Request(null, null, null, null, null, null, Map.of("d", 1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'd' must be a string, an integer or a boolean, got Double");
    }

    @Test
    @DisplayName("the fact exposes scope levels by position and attributes split by type")
    void factProperties() {
        Request request = new Request(
                List.of("acme", "chat"),
                new Request.Resource("model", "gpt-4", Map.of("team", "a")),
                "invoke",
                null,
                new Request.Flavor("a100", "gpu"),
                new Request.Tokens(3L, null),
                Map.of("s", "x", "n", 5L, "b", false));
        RequestFact fact = new RequestFact(request);
        assertThat(fact.getScope0()).isEqualTo("acme");
        assertThat(fact.getScope1()).isEqualTo("chat");
        assertThat(fact.getScope2()).isNull();
        assertThat(fact.getFlavorType()).isEqualTo("gpu");
        assertThat(fact.getLocationCountry()).isNull();
        assertThat(fact.getTokensTotal()).isEqualTo(3L);
        assertThat(fact.getTokensOutput()).isNull();
        assertThat(fact.getAttributeStrings()).containsExactlyEntriesOf(Map.of("s", "x"));
        assertThat(fact.getAttributeLongs()).containsExactlyEntriesOf(Map.of("n", 5L));
        assertThat(fact.getAttributeBooleans()).containsExactlyEntriesOf(Map.of("b", false));
    }

    @Test
    @DisplayName("scopes deeper than eight levels and negative token counts are refused")
    void limits() {
        assertThatThrownBy(() -> new Request(
                        List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"), null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request.Tokens(-1L, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Request.Tokens(Long.MAX_VALUE, 1L).total()).isEqualTo(Long.MAX_VALUE);
    }
}
