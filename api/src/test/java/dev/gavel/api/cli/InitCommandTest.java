package dev.gavel.api.cli;

import static dev.gavel.api.cli.CliRun.gavel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.api.template.RepositoryTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("gavel init makes a repository that git log, git status and git fsck accept, holding the template")
    void initCreatesACleanRepository() throws Exception {
        Path dir = tmp.resolve("policies");
        CliRun run = gavel("init", dir.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Initialized a policies repository");

        Git.Result log = Git.run(dir, "log", "--format=%an|%s");
        assertThat(log.out().strip()).isEqualTo("Gavel|Initial policies from the Gavel template");
        assertThat(Git.run(dir, "fsck", "--strict").exit()).isZero();
        assertThat(Git.run(dir, "status", "--porcelain").out()).isEmpty();
        assertThat(Git.run(dir, "rev-parse", "--abbrev-ref", "HEAD").out().strip())
                .isEqualTo("main");

        Map<String, byte[]> template = RepositoryTemplate.files();
        assertThat(template).containsKey("gavel.yaml");
        assertThat(template.keySet()).anyMatch(p -> p.startsWith("policies/acme/"));
        List<String> tracked = Git.run(dir, "ls-files").out().lines().toList();
        assertThat(tracked).containsExactlyInAnyOrderElementsOf(template.keySet());
        for (var e : template.entrySet()) {
            assertThat(Files.readAllBytes(dir.resolve(e.getKey())))
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    @DisplayName("the template packaged in the jar is the policies-repo-template directory, file for file")
    void templateMatchesTheSourceDirectory() throws IOException {
        Path source = Path.of("..", "policies-repo-template");
        Map<String, byte[]> onDisk = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                onDisk.put(source.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        Map<String, byte[]> packaged = RepositoryTemplate.files();
        assertThat(packaged.keySet()).isEqualTo(onDisk.keySet());
        onDisk.forEach((k, v) -> assertThat(packaged.get(k)).as(k).isEqualTo(v));
    }

    @Test
    @DisplayName("gavel init refuses a directory that is not empty, and leaves it untouched")
    void initRefusesNonEmptyDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("keep.txt"), "mine");
        CliRun run = gavel("init", dir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains("gavel: ")
                .contains("not an empty directory")
                .doesNotContain("Exception");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("keep.txt");
        }
    }

    @Test
    @DisplayName("a malformed --author is a usage error with exit code 2")
    void initRejectsBadAuthor() {
        CliRun run = gavel("init", tmp.resolve("x").toString(), "--author", "nobody");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'Name <email>'");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    /** The real git CLI. */
    static final class Git {
        record Result(int exit, String out) {}

        static Result run(Path dir, String... args) throws IOException, InterruptedException {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        }
    }
}
