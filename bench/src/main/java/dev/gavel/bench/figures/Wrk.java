package dev.gavel.bench.figures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs wrk with {@code bench/load/cycle.lua}, which cycles over pre-generated lines (request bodies or
 * paths) read from a file at start, and reads the one {@code LOAD ...} line the script prints. The
 * timeout is 30 s (wrk's default of 2 s would count a slow server's answers as errors, not as latency).
 */
final class Wrk {
    /** One wrk run: decisions (requests) per second and latency percentiles in ms. */
    record Result(long requests, long non2xx, long errors, double p50Ms, double p99Ms, double rps) {}

    /** What to send: POST each line as a JSON body to {@code path}, or GET each line as a path. */
    record Load(String method, String path, Path lines, String token) {
        static Load posts(String path, Path bodies, String token) {
            return new Load("POST", path, bodies, token);
        }

        static Load gets(Path paths, String token) {
            return new Load("GET", "", paths, token);
        }
    }

    private static final Pattern LOAD = Pattern.compile(
            "LOAD requests=(\\d+) non2xx=(\\d+) errors=(\\d+) p50_ms=([\\d.]+) p99_ms=([\\d.]+) rps=([\\d.]+)");

    private final Path script;
    private final int threads;
    private final int connections;

    Wrk(Path script, int threads, int connections) {
        this.script = script;
        this.threads = threads;
        this.connections = connections;
    }

    Result run(String baseUrl, Load load, String duration, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "wrk",
                "-t",
                String.valueOf(threads),
                "-c",
                String.valueOf(connections),
                "-d",
                duration,
                "--timeout",
                "30s",
                "--latency",
                "-s",
                script.toString(),
                baseUrl));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("CYCLE_FILE", load.lines().toString());
        env.put("CYCLE_METHOD", load.method());
        env.put("CYCLE_PATH", load.path());
        env.put("CYCLE_TOKEN", load.token() == null ? "" : load.token());
        int exit = pb.start().waitFor();
        String out = Files.readString(log);
        Matcher m = LOAD.matcher(out);
        if (exit != 0 || !m.find()) {
            throw new IllegalStateException("wrk failed (exit " + exit + "): " + out);
        }
        return new Result(
                Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)),
                Double.parseDouble(m.group(4)),
                Double.parseDouble(m.group(5)),
                Double.parseDouble(m.group(6)));
    }
}
