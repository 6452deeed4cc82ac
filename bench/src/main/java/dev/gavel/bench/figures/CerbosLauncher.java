package dev.gavel.bench.figures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts the Cerbos 0.55 server binary with a generated config file; {@code extraConfig} (top-level
 * blocks the translation needs, see {@link CerbosTranslation#engineConfig()}) is appended to it.
 */
record CerbosLauncher(Path binary, String extraConfig) {
    /** How the policies reach Cerbos. */
    sealed interface Storage permits Disk, GitRepo {}

    /** The disk driver on a directory; {@code watch} = {@code watchForChanges}. */
    record Disk(Path directory, boolean watch) implements Storage {}

    /** The git driver on a local bare repository ({@code file://}), polled every {@code poll}. */
    record GitRepo(Path bare, String subDir, Path checkoutDir, String poll) implements Storage {}

    /** Audit of decisions: off, the {@code file} backend (JSON lines) or the {@code local} one (BadgerDB). */
    enum Audit {
        OFF,
        FILE,
        LOCAL;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    ServerProcess start(Storage storage, Audit audit, int httpPort, int grpcPort, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n  httpListenAddr: \"127.0.0.1:")
                .append(httpPort)
                .append("\"\n")
                .append("  grpcListenAddr: \"127.0.0.1:")
                .append(grpcPort)
                .append("\"\n");
        conf.append("storage:\n");
        if (storage instanceof Disk d) {
            conf.append("  driver: disk\n  disk:\n    directory: ")
                    .append(d.directory())
                    .append("\n    watchForChanges: ")
                    .append(d.watch())
                    .append('\n');
        } else if (storage instanceof GitRepo g) {
            conf.append("  driver: git\n  git:\n    protocol: file\n    url: file://")
                    .append(g.bare())
                    .append("\n    branch: main\n    subDir: ")
                    .append(g.subDir())
                    .append("\n    checkoutDir: ")
                    .append(g.checkoutDir())
                    .append("\n    updatePollInterval: ")
                    .append(g.poll())
                    .append('\n');
        }
        // Decision logs only (Gavel's evaluation log records decisions, not HTTP access).
        switch (audit) {
            case OFF -> conf.append("audit:\n  enabled: false\n");
            case FILE ->
                conf.append("audit:\n  enabled: true\n  accessLogsEnabled: false\n  decisionLogsEnabled: true\n")
                        .append("  backend: file\n  file:\n    path: ")
                        .append(dir.resolve("audit.log"))
                        .append('\n');
            case LOCAL ->
                conf.append("audit:\n  enabled: true\n  accessLogsEnabled: false\n  decisionLogsEnabled: true\n")
                        .append("  backend: local\n  local:\n    storagePath: ")
                        .append(dir.resolve("audit-db"))
                        .append('\n');
        }
        conf.append(extraConfig);
        Path config = dir.resolve("cerbos.yaml");
        Files.writeString(config, conf);
        return ServerProcess.start(
                "cerbos",
                List.of(binary.toString(), "server", "--config", config.toString(), "--log-level", "warn"),
                "http://127.0.0.1:" + httpPort,
                dir.resolve("cerbos.log"));
    }

    String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "--version")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes())
                .lines()
                .findFirst()
                .orElse("?");
        p.waitFor();
        return out.strip();
    }
}
