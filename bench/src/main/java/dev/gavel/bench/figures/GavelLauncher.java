package dev.gavel.bench.figures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code gavel serve} from the shaded jar on a repository, with a fresh data directory. */
record GavelLauncher(Path jar, List<String> javaOptions, java.util.Map<String, String> environment) {
    GavelLauncher(Path jar, List<String> javaOptions) {
        this(jar, javaOptions, java.util.Map.of());
    }

    /** A running Gavel and the admin key made for it before start (so start-up does not include it). */
    record Running(ServerProcess server, String token, Path data) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    /** Creates an admin key in {@code data} with {@code gavel token create} (a JVM of its own, not timed). */
    String createToken(Path data) throws IOException, InterruptedException {
        Files.createDirectories(data);
        List<String> cmd = new ArrayList<>(List.of(
                "java",
                "-jar",
                jar.toString(),
                "token",
                "create",
                "--role",
                "admin",
                "--name",
                "bench",
                "--data",
                data.toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new IllegalStateException("gavel token create failed: " + out);
        }
        return out;
    }

    /** Spawns the server; does not wait for it. */
    Running start(Path repo, Path data, int port, String poll) throws IOException, InterruptedException {
        String token = createToken(data);
        List<String> cmd = new ArrayList<>();
        cmd.add("java");
        cmd.addAll(javaOptions);
        cmd.addAll(List.of(
                "-jar",
                jar.toString(),
                "serve",
                "--repo",
                repo.toString(),
                "--data",
                data.toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--poll",
                poll));
        ServerProcess p =
                ServerProcess.start("gavel", cmd, environment, "http://127.0.0.1:" + port, data.resolve("serve.log"));
        return new Running(p, token, data);
    }
}
