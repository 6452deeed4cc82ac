package dev.gavel.bench.figures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server started by the harness (Gavel's JVM or the Cerbos binary, never through a wrapper script, so
 * that {@link #pid()} is the process whose memory is read). Output goes to a log file.
 *
 * @param startedNanos {@link System#nanoTime()} just before the process was spawned
 */
record ServerProcess(String name, Process process, String baseUrl, Path log, long startedNanos)
        implements AutoCloseable {
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern HWM = Pattern.compile("VmHWM:\\s+(\\d+) kB");

    static ServerProcess start(String name, List<String> command, String baseUrl, Path log) throws IOException {
        return start(name, command, java.util.Map.of(), baseUrl, log);
    }

    /** Starts {@code command} with {@code environment} added to this process's environment. */
    static ServerProcess start(
            String name, List<String> command, java.util.Map<String, String> environment, String baseUrl, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        long t0 = System.nanoTime();
        Process p = pb.start();
        return new ServerProcess(name, p, baseUrl, log, t0);
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size now, in MiB, from /proc/PID/status. */
    double rssMib() throws IOException {
        return procStatus(RSS);
    }

    /** Peak resident set size, in MiB. */
    double peakRssMib() throws IOException {
        return procStatus(HWM);
    }

    private double procStatus(Pattern field) throws IOException {
        String status = Files.readString(Path.of("/proc", String.valueOf(pid()), "status"));
        Matcher m = field.matcher(status);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in /proc/" + pid() + "/status");
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + log + ":\n"
                    + tail(Files.readString(log)));
        }
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    /** SIGTERM (Gavel flushes its evaluation log on it), then SIGKILL after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
