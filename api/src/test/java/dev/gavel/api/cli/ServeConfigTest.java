package dev.gavel.api.cli;

import static dev.gavel.api.cli.CliRun.gavel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's options become one checked ServeConfig; durations share one grammar; bad values are usage errors. */
class ServeConfigTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("one duration grammar: ms, s, m, h, d and ISO-8601")
    void oneGrammar() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.parse("PT1S")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.parse("P30D")).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("500ms");
        assertThatThrownBy(() -> Durations.parse("-PT1S")).hasMessageContaining("negative");
        // --since of validate reads the same grammar.
        assertThat(Ages.parse("--since", "36h")).isEqualTo(Duration.ofHours(36));
    }

    @Test
    @DisplayName("bad --poll, --log-durability and --log-retention are usage errors (exit 2) before anything starts")
    void badValuesAreUsageErrors() {
        String data = dir.resolve("data").toString();
        CliRun poll = gavel("serve", "--data", data, "--poll", "soon");
        assertThat(poll.exit()).isEqualTo(2);
        assertThat(poll.err()).contains("--poll").contains("500ms");
        CliRun tooFast = gavel("serve", "--data", data, "--poll", "10ms");
        assertThat(tooFast.exit()).isEqualTo(2);
        assertThat(tooFast.err()).contains("--poll must be at least 50ms");
        CliRun durability = gavel("serve", "--data", data, "--log-durability", "fast");
        assertThat(durability.exit()).isEqualTo(2);
        assertThat(durability.err()).contains("--log-durability").contains("batch or sync");
        CliRun retention = gavel("serve", "--data", data, "--log-retention", "10s");
        assertThat(retention.exit()).isEqualTo(2);
        assertThat(retention.err()).contains("--log-retention must be at least 1m");
        assertThat(dir.resolve("data/policies")).doesNotExist();
    }

    @Test
    @DisplayName("--log-max-lag sets the log writer's lag bound (default 50ms; 0ms turns it off)")
    void logMaxLag() {
        ServeCommand defaults = new ServeCommand();
        new picocli.CommandLine(defaults).parseArgs("--data", dir.toString());
        assertThat(defaults.config().log().maxLag()).isEqualTo(Duration.ofMillis(50));
        ServeCommand off = new ServeCommand();
        new picocli.CommandLine(off).parseArgs("--data", dir.toString(), "--log-max-lag", "0ms");
        assertThat(off.config().log().maxLag()).isZero();
        CliRun bad = gavel("serve", "--data", dir.resolve("d").toString(), "--log-max-lag", "soon");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--log-max-lag");
    }
}
