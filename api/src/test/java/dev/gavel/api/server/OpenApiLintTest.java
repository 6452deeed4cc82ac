package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served /openapi.json passes {@code @redocly/cli lint} with the recommended rules: 0 errors, 0
 * warnings. scripts/test installs the linter (tools/redocly, pinned in its package.json).
 */
class OpenApiLintTest {
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
    @DisplayName("redocly lint (recommended rules) finds no error and no warning in /openapi.json")
    void documentIsLintClean() throws Exception {
        Path tools =
                Path.of(System.getProperty("user.dir")).resolveSibling("tools").resolve("redocly");
        Path redocly = tools.resolve("node_modules/.bin/redocly");
        assertThat(redocly)
                .as("the linter is installed by ./scripts/test (npm ci in tools/redocly)")
                .isExecutable();
        Path doc = dir.resolve("openapi.json");
        Files.write(doc, f.get("/openapi.json", null).raw().body());
        ProcessBuilder pb = new ProcessBuilder(
                        redocly.toString(),
                        "lint",
                        "--config",
                        tools.resolve("redocly.yaml").toString(),
                        "--format",
                        "stylish",
                        doc.toString())
                .redirectErrorStream(true);
        pb.environment().put("REDOCLY_TELEMETRY", "off");
        pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        // Findings print as "line:col  error|warning  rule  message"; the summary as "You have N warnings."
        assertThat(out)
                .as(out)
                .doesNotContainPattern("\\d+:\\d+\\s+(error|warning)\\s")
                .doesNotContainPattern("You have \\d+ (error|warning)")
                .contains("Your API description is valid");
        assertThat(p.exitValue()).as(out).isZero();
    }
}
