package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code git daemon --enable=receive-pack} on 127.0.0.1 serving the bare repositories under one directory:
 * the fleet's remote. Stoppable and restartable on the same port (the remote going down and coming back).
 */
final class GitDaemon implements AutoCloseable {
    static final Path GIT = Path.of("/usr/bin/git");

    private final Path base;
    private int port;
    private Process process;

    private GitDaemon(Path base) {
        this.base = base;
    }

    /** Starts a daemon on a free port for the bare repositories under {@code base}. */
    static GitDaemon start(Path base) throws IOException, InterruptedException {
        if (!Files.isExecutable(GIT)) {
            fail("the fleet tests need git (and its daemon) at " + GIT + " (apt-get install git)");
        }
        GitDaemon d = new GitDaemon(base);
        for (int attempt = 0; ; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                d.port = s.getLocalPort();
            }
            if (d.startOnPort() || attempt == 4) {
                break;
            }
        }
        if (d.process == null) {
            fail("git daemon did not start");
        }
        return d;
    }

    /** {@code git://127.0.0.1:<port>/<name>} */
    String url(String name) {
        return "git://127.0.0.1:" + port + "/" + name;
    }

    /** Stops the daemon (and the connections it forked): the remote is unreachable until {@link #restart()}. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor();
            process = null;
        }
    }

    /** Starts it again on the same port. */
    void restart() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 50 && !startOnPort(); attempt++) {
            Thread.sleep(100); // the port may linger a moment after the stop
        }
        if (process == null) {
            fail("git daemon did not restart on port " + port);
        }
    }

    private boolean startOnPort() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                GIT.toString(),
                "daemon",
                "--reuseaddr",
                "--export-all",
                "--enable=receive-pack",
                "--listen=127.0.0.1",
                "--port=" + port,
                "--base-path=" + base,
                base.toString()));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process p = pb.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) { // ready once it accepts connections
            if (!p.isAlive()) {
                return false; // e.g. the port was taken meanwhile
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                process = p;
                return true;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        p.destroy();
        return false;
    }

    /** Runs the git CLI (isolated from the user's configuration); returns its output, failing the test on an error. */
    static String git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                GIT.toString(),
                "-C",
                dir.toString(),
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@x",
                "-c",
                "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                fail("git " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
