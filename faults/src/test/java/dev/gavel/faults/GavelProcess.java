package dev.gavel.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar gavel.jar serve} as an operator runs it: its own JVM, its data directory, its output
 * read line by line. {@link #kill()} is SIGKILL, {@link #terminate()} SIGTERM.
 */
final class GavelProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("Gavel serving (http://\\S+)");

    private final Process process;
    private final String url;
    private final List<String> lines;
    private final Path data;

    private GavelProcess(Process process, String url, List<String> lines, Path data) {
        this.process = process;
        this.url = url;
        this.lines = lines;
        this.data = data;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("gavel.jar", "../api/target/gavel.jar"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the api module first (mvn verify builds it)");
        }
        return jar;
    }

    /** Starts {@code serve --port 0 --data DATA extra...} and waits until it prints its URL. */
    static GavelProcess serve(Path data, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "java", "-Xmx512m", "-jar", jar().toString(), "serve", "--port", "0", "--data", data.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            Matcher m = URL.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(
                        () -> {
                            try {
                                String l;
                                while ((l = out.readLine()) != null) {
                                    lines.add(l);
                                }
                            } catch (IOException e) {
                                // the process is gone
                            }
                        },
                        "gavel-output");
                drain.setDaemon(true);
                drain.start();
                return new GavelProcess(p, m.group(1), lines, data);
            }
        }
        throw new IllegalStateException(
                "serve exited (" + waitQuietly(p) + ") before listening:\n" + String.join("\n", lines));
    }

    private static int waitQuietly(Process p) {
        try {
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String url() {
        return url;
    }

    String adminToken() throws IOException {
        return Files.readString(data.resolve("admin.token")).strip();
    }

    /** The demo repository {@code serve} made (a bare repository a git client can push to). */
    Path repository() {
        return data.resolve("policies");
    }

    Path evaluationLog() {
        return data.resolve("evaluations.db");
    }

    List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs. Returns when the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    int terminate(Duration wait) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "the server did not exit within " + wait + " of SIGTERM:\n" + String.join("\n", output()));
        }
        return process.exitValue();
    }

    /** Waits until {@code GET path} answers {@code status}, polling. */
    void awaitStatus(HttpClient http, String path, int status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url + path))
                            .header("Authorization", "Bearer " + adminToken())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            last = r.statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " answered " + last + ", not " + status + ", for " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
