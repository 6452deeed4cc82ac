package dev.gavel.bench.peers.cerbos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Cerbos server started from the binary {@code bench/peers/install-cerbos.sh} installs, serving a
 * policy directory from the disk store (no file watching, audit off), on free local ports. Stopped by
 * {@link #close()}, which ends only the process it started.
 */
public final class CerbosServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CerbosServer(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Starts {@code binary} on {@code policies}; {@code work} holds the config and the server's log. */
    public static CerbosServer start(Path binary, Path policies, Path work) throws IOException, InterruptedException {
        return start(binary, policies, work, "");
    }

    /** The same, with {@code extraConfig} (whole top-level blocks, e.g. an {@code engine:} block) appended. */
    public static CerbosServer start(Path binary, Path policies, Path work, String extraConfig)
            throws IOException, InterruptedException {
        int httpPort = freePort();
        int grpcPort = freePort();
        Files.createDirectories(work);
        Path config = work.resolve("cerbos.yaml");
        Files.writeString(config, """
        server:
          httpListenAddr: "127.0.0.1:%d"
          grpcListenAddr: "127.0.0.1:%d"
        storage:
          driver: disk
          disk:
            directory: "%s"
            watchForChanges: false
        audit:
          enabled: false
        """.formatted(httpPort, grpcPort, policies.toAbsolutePath()) + extraConfig);
        Path log = work.resolve("cerbos.log");
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "server", "--config=" + config);
        builder.environment().put("CERBOS_NO_TELEMETRY", "1");
        Process p =
                builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        CerbosServer server = new CerbosServer(p, URI.create("http://127.0.0.1:" + httpPort));
        // Cerbos compiles every policy before it listens: minutes for the scoped translation at 1,000 policies.
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("cerbos exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<String> health = server.http.send(
                        HttpRequest.newBuilder(server.base.resolve("/_cerbos/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        server.close();
        throw new IllegalStateException("cerbos did not become healthy in 30 min: " + Files.readString(log));
    }

    public URI base() {
        return base;
    }

    /** {@code POST /api/check/resources} with {@code body}; the parsed response. */
    public JsonNode check(JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.resolve("/api/check/resources"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(CerbosPolicies.json(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("cerbos answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
