package dev.gavel.store.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real git command line, isolated from the user's and the system's configuration. */
final class GitCli {
    static final Path GIT = Path.of("/usr/bin/git");

    record Result(int exit, String out, String err) {}

    private GitCli() {}

    /** Runs git in {@code dir}; fails the test with a clear message when git is not installed. */
    static Result run(Path dir, String... args) {
        if (!Files.isExecutable(GIT)) {
            fail("these tests need the git command line at " + GIT + " (apt-get install git)");
        }
        List<String> cmd = new ArrayList<>(List.of(
                GIT.toString(),
                "-C",
                dir.toString(),
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@x",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "protocol.file.allow=always"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        try {
            Path out = Files.createTempFile("git-out", ".txt");
            Path err = Files.createTempFile("git-err", ".txt");
            try {
                Process p = pb.redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                int exit = p.waitFor();
                return new Result(
                        exit,
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run git: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running git", e);
        }
    }

    /** Runs git and asserts it exits 0; returns its standard output. */
    static String ok(Path dir, String... args) {
        Result r = run(dir, args);
        assertThat(r.exit())
                .as("git %s failed: %s", String.join(" ", args), r.err())
                .isZero();
        return r.out();
    }

    /** Writes a file under a work tree, creating its directories. */
    static void write(Path workTree, String path, String content) {
        try {
            Path f = workTree.resolve(path);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Commits everything in a work tree with git, returning the new commit id. */
    static String commitAll(Path workTree, String message) {
        ok(workTree, "add", "-A");
        ok(workTree, "commit", "-q", "-m", message);
        return ok(workTree, "rev-parse", "HEAD").strip();
    }
}
