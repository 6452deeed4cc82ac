package dev.gavel.store.log;

import static dev.gavel.store.log.Rows.deny;
import static dev.gavel.store.log.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log opened read-only (what replay reads): it sees a live log's rows and changes nothing. */
class ReadOnlyLogTest {
    @TempDir
    Path dir;

    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));

    @Test
    @DisplayName("a read-only log reads the rows a live log committed, with their matches, while the writer goes on")
    void readsALiveLog() throws Exception {
        Path file = dir.resolve("log.db");
        try (EvaluationLog live = EvaluationLog.open(LogSettings.defaults(file))) {
            for (int i = 0; i < 10; i++) {
                live.append(row(
                        i,
                        T0.plusSeconds(i),
                        "acme.chat",
                        i % 2 == 0 ? "deny" : "allow",
                        i % 2 == 0
                                ? new LoggedMatch[] {deny("eu-residency", "acme", "settings.allowed")}
                                : new LoggedMatch[0]));
            }
            live.flush();
            try (EvaluationLog reader = EvaluationLog.openReadOnly(file)) {
                EvaluationPage page = reader.list(EvaluationFilter.ALL, Optional.empty(), 100);
                assertThat(page.evaluations()).hasSize(10);
                assertThat(page.evaluations().get(1).matches())
                        .extracting(LoggedMatch::policy)
                        .containsExactly("eu-residency");
                live.append(row(10, T0.plusSeconds(10), "acme.chat", "allow"));
                live.flush();
                assertThat(reader.count()).isEqualTo(11);
                assertThatThrownBy(() -> reader.append(row(11, T0, "acme", "allow")))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("read-only");
            }
        }
    }

    @Test
    @DisplayName(
            "a missing file, a file that is not SQLite and an SQLite file of something else are refused, and none is created or changed")
    void refusesWhatIsNotALog() throws Exception {
        Path missing = dir.resolve("nope.db");
        assertThatThrownBy(() -> EvaluationLog.openReadOnly(missing))
                .isInstanceOf(LogUnavailableException.class)
                .hasMessageContaining("no evaluation log");
        assertThat(missing).doesNotExist();

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a database, just some words that are long enough to fill a header".repeat(3));
        byte[] before = Files.readAllBytes(text);
        assertThatThrownBy(() -> EvaluationLog.openReadOnly(text))
                .isInstanceOf(LogUnavailableException.class)
                .hasMessageContaining("not a Gavel evaluation log");
        assertThat(Files.readAllBytes(text)).isEqualTo(before);

        Path other = dir.resolve("other.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other);
                var st = c.createStatement()) {
            st.execute("CREATE TABLE t (x INTEGER)");
        }
        assertThatThrownBy(() -> EvaluationLog.openReadOnly(other))
                .isInstanceOf(LogUnavailableException.class)
                .hasMessageContaining("not a Gavel evaluation log");
        assertThat(new String(Files.readAllBytes(other), 0, 15, StandardCharsets.US_ASCII))
                .isEqualTo("SQLite format 3");
    }
}
