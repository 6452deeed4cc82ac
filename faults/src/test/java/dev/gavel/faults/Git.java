package dev.gavel.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real git command line, as an operator would use it against the server's repository. */
final class Git {
    private Git() {}

    /** Runs git in {@code dir}; returns its standard output, or fails with its output. */
    static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "git",
                "-c",
                "user.name=Fault Suite",
                "-c",
                "user.email=faults@example.com",
                "-c",
                "init.defaultBranch=main",
                "-C",
                dir.toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    /** Commits on main whose message starts with {@code prefix}. */
    static List<String> commitsWithMessagePrefix(Path repo, String prefix) throws IOException, InterruptedException {
        List<String> shas = new ArrayList<>();
        for (String line : run(repo, "log", "--format=%H %s", "main").split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(space + 1).startsWith(prefix)) {
                shas.add(line.substring(0, space));
            }
        }
        return shas;
    }
}
