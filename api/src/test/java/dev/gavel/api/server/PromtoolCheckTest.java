package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check metrics} (Prometheus' own linter: HELP text, counter suffixes, units, names) finds
 * nothing in a live server's /metrics after it served reads and an evaluation. scripts/test fetches
 * promtool into tools/promtool/bin.
 */
class PromtoolCheckTest {
    @TempDir
    static Path dir;

    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    @DisplayName("promtool check metrics is clean on a live /metrics")
    void metricsPassPromtool() throws Exception {
        Path promtool =
                Path.of(System.getProperty("user.dir")).resolveSibling("tools").resolve("promtool/bin/promtool");
        assertThat(promtool)
                .as("promtool is fetched by ./scripts/test into tools/promtool/bin")
                .isExecutable();
        assertThat(f.get("/api/v1/scopes/acme/policies/token-limits", "reader").status())
                .isEqualTo(200);
        assertThat(f.get("/api/v1/scopes/acme/resolved", "reader").status()).isEqualTo(200);
        byte[] metrics = f.get("/metrics", null).raw().body();
        assertThat(new String(metrics, StandardCharsets.UTF_8)).contains("gavel_http_server_requests_seconds_bucket");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(metrics);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("promtool's findings").isBlank();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
