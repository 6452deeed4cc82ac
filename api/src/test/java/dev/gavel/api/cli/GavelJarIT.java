package dev.gavel.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as users run it: {@code java -jar api/target/gavel.jar ...}. */
class GavelJarIT {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("java -jar gavel.jar init makes a repository that git log and git fsck accept")
    void jarInitsARepository() throws Exception {
        Path jar = Path.of("target", "gavel.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path dir = tmp.resolve("x");

        Result init = run(List.of("java", "-jar", jar.toString(), "init", dir.toString()));
        assertThat(init.exit).as(init.out).isZero();
        assertThat(init.out).doesNotContain("Exception");

        Result log = run(List.of("git", "-C", dir.toString(), "log", "--oneline"));
        assertThat(log.exit).isZero();
        assertThat(log.out.lines()).hasSize(1);
        assertThat(run(List.of("git", "-C", dir.toString(), "fsck", "--strict")).exit)
                .isZero();

        Result version = run(List.of("java", "-jar", jar.toString(), "--version"));
        assertThat(version.out).startsWith("gavel ");
    }

    /** A process's exit code and its output (stdout and stderr). */
    record Result(int exit, String out) {}

    /** Runs {@code command} to its end (at most 2 minutes): shared by the jar's ITs. */
    static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
