package dev.gavel.bench.figures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The git CLI, as a person pushing policies would use it: repositories for both servers are made and
 * changed with it, so neither side gets a shortcut the other lacks.
 */
final class Git {
    private Git() {}

    static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "git",
                "-c",
                "user.name=Bench",
                "-c",
                "user.email=bench@example.com",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "gc.auto=0")); // no background gc racing the clean-up, or taking a core during a measurement
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + dir + ": " + out);
        }
        return out.strip();
    }

    /** Writes {@code files} (repository paths) under {@code dir}. */
    static void write(Path dir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
    }

    /**
     * A bare repository holding {@code files} in one commit on {@code main}, plus a work clone of it to push
     * changes from. Returns the bare repository (the work clone is {@code <dir>/work}).
     */
    static Path repository(Path dir, Map<String, byte[]> files) throws IOException, InterruptedException {
        Path seed = Files.createDirectories(dir.resolve("seed"));
        write(seed, files);
        run(seed, "init", "-q", "-b", "main");
        run(seed, "add", "-A");
        run(seed, "commit", "-q", "-m", "Generated repository");
        Path bare = dir.resolve("repo.git");
        // --no-local: objects travel as a pack, as from a remote; a local clone would hardlink the seed's loose
        // objects, and a server reading 10,000 loose files starts ~0.7 s later than on a user's packed clone.
        run(dir, "clone", "-q", "--bare", "--no-local", seed.toString(), bare.toString());
        run(dir, "clone", "-q", bare.toString(), dir.resolve("work").toString());
        Workspace.delete(seed);
        return bare;
    }

    /** Commits one file in the work clone (not timed), then pushes; returns the new commit id. */
    static String commit(Path work, String path, byte[] content, String message)
            throws IOException, InterruptedException {
        write(work, Map.of(path, content));
        run(work, "add", path);
        run(work, "commit", "-q", "-m", message);
        return run(work, "rev-parse", "HEAD");
    }

    static void push(Path work) throws IOException, InterruptedException {
        run(work, "push", "-q", "origin", "main");
    }
}
