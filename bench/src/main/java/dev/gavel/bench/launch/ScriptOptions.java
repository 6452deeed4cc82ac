package dev.gavel.bench.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options {@code scripts/gavel} passes, read from the script itself, so that a figure measured "as
 * {@code gavel serve} runs" or "as {@code gavel validate} runs" cannot drift from what users get: {@code
 * serve_opts} for a server, {@code cli_opts} for every other command.
 */
public record ScriptOptions(List<String> serve, List<String> cli) {
    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^(serve_opts|cli_opts)=\"([^\"$`]*)\"$");

    /** {@code scripts/gavel} under {@code root} (the checkout). */
    public static ScriptOptions of(Path root) throws IOException {
        return parse(Files.readString(root.resolve("scripts/gavel")));
    }

    /**
     * The checkout the benchmarks run from: the working directory ({@code scripts/bench} runs from the checkout's
     * root) or the nearest directory above it with {@code scripts/gavel} (a module's directory, under Maven).
     */
    public static ScriptOptions ofWorkingDirectory() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/gavel"))) {
                return of(dir);
            }
        }
        throw new java.io.FileNotFoundException("no scripts/gavel in " + cwd + " or above it");
    }

    static ScriptOptions parse(String script) {
        List<String> serve = null;
        List<String> cli = null;
        Matcher m = ASSIGNMENT.matcher(script);
        while (m.find()) {
            List<String> words = Arrays.stream(m.group(2).trim().split("\\s+"))
                    .filter(w -> !w.isEmpty())
                    .toList();
            if (m.group(1).equals("serve_opts")) {
                serve = words;
            } else {
                cli = words;
            }
        }
        if (serve == null || cli == null) {
            throw new IllegalArgumentException(
                    "scripts/gavel does not assign serve_opts=\"...\" and cli_opts=\"...\" on lines of their own");
        }
        return new ScriptOptions(serve, cli);
    }
}
