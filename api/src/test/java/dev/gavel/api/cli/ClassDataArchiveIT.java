package dev.gavel.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive {@code scripts/gavel serve} writes and maps (docs/operations.md, "Start-up"), made the way
 * the script makes it: {@code serve --warm-up} as the training run of the shaded jar.
 */
class ClassDataArchiveIT {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("serve --warm-up answers each request kind and exits; the archive it leaves holds the serving classes")
    void warmUpWritesAnArchiveTheServerMaps() throws Exception {
        Path jar = Path.of("target", "gavel.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path archive = tmp.resolve("gavel.jsa");

        GavelJarIT.Result training = warmUp(
                jar,
                tmp.resolve("first"),
                List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:ArchiveClassesAtExit=" + archive));
        assertThat(training.exit()).as(training.out()).isZero();
        assertThat(training.out())
                .contains("POST /api/v1/evaluate 200")
                .contains("GET /api/v1/scopes/acme.chat.support-bot.prod/resolved 200")
                .doesNotContain("Exception");
        assertThat(archive).exists();
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);

        // -Xshare:on: the JVM refuses to start rather than fall back when it cannot map the archive.
        Path loaded = tmp.resolve("classes.txt");
        GavelJarIT.Result mapped = warmUp(
                jar,
                tmp.resolve("second"),
                List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + loaded));
        assertThat(mapped.exit()).as(mapped.out()).isZero();
        assertThat(mapped.out()).contains("POST /api/v1/evaluate 200");
        List<String> classes = Files.readAllLines(loaded);
        assertThat(classes)
                .anyMatch(l -> l.contains("dev.gavel.engine.snapshot.PolicySnapshot source: shared objects file (top)"))
                .anyMatch(l -> l.contains("org.drools.core.reteoo.AlphaNode source: shared objects file (top)"))
                .anyMatch(l -> l.contains("io.javalin.Javalin source: shared objects file (top)"));
    }

    /** {@code java <options> -jar gavel.jar serve --warm-up} on a fresh data directory, as scripts/gavel runs it. */
    private static GavelJarIT.Result warmUp(Path jar, Path data, List<String> jvmOptions) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--warm-up", "--data", data.toString(), "--port", "0"));
        return GavelJarIT.run(command);
    }
}
