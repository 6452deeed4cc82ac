package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.api.http.ApiProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ListCursorsTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    @DisplayName("a cursor gives back its key for the same sort and query, until it is 24 hours old")
    void roundTripAndExpiry() {
        ManualClock clock = new ManualClock();
        ListCursors cursors = new ListCursors(clock);
        ListCursors.Key key = new ListCursors.Key("000001234", "policies/acme/x.yaml");
        String c = cursors.issue("name:asc", "h1", key);
        assertThat(cursors.read(c, "name:asc", "h1")).isEqualTo(key);
        clock.now = clock.now.plus(Duration.ofHours(23));
        assertThat(cursors.read(c, "name:asc", "h1")).isEqualTo(key);
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertThatThrownBy(() -> cursors.read(c, "name:asc", "h1"))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("invalid cursor");
    }

    @Test
    @DisplayName("a cursor is refused with another sort, another query, another server key, or altered")
    void boundToQuery() {
        ListCursors cursors = new ListCursors();
        String c = cursors.issue("name:asc", "h1", new ListCursors.Key("a", "b"));
        assertThatThrownBy(() -> cursors.read(c, "name:desc", "h1")).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> cursors.read(c, "name:asc", "h2")).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> new ListCursors().read(c, "name:asc", "h1")).isInstanceOf(ApiProblem.class);
        String altered = (c.charAt(0) == 'e' ? "f" : "e") + c.substring(1);
        assertThatThrownBy(() -> cursors.read(altered, "name:asc", "h1")).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> cursors.read("garbage", "name:asc", "h1")).isInstanceOf(ApiProblem.class);
    }
}
