package dev.gavel.api.server;

import java.time.Duration;
import java.util.Optional;

/**
 * How the server listens and follows the branch.
 *
 * @param port 0 picks a free port (read it back from {@link GavelServer#port()})
 * @param poll how often the branch is polled for new commits
 * @param hookSecret when present, {@code POST /api/v1/hooks/git} needs a valid {@code X-Hub-Signature-256}
 * @param writeWait how long a write waits for its commit to be compiled and served before answering
 * @param maxStaleness with a remote: past this long without a successful fetch, {@code /readyz} fails (empty = never)
 * @param fenceWait how long a request with {@code X-Gavel-Min-Commit} waits for that commit to be served
 */
public record ServerOptions(
        String host,
        int port,
        Duration poll,
        Optional<String> hookSecret,
        Duration writeWait,
        Optional<Duration> maxStaleness,
        Duration fenceWait) {
    /** Default wait of a fenced request: a few poll intervals and a compile. */
    public static final Duration DEFAULT_FENCE_WAIT = Duration.ofSeconds(5);

    public ServerOptions(String host, int port, Duration poll, Optional<String> hookSecret, Duration writeWait) {
        this(host, port, poll, hookSecret, writeWait, Optional.empty(), DEFAULT_FENCE_WAIT);
    }

    public static ServerOptions defaults() {
        return new ServerOptions("127.0.0.1", 7070, Duration.ofSeconds(1), Optional.empty(), Duration.ofSeconds(30));
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(host, p, poll, hookSecret, writeWait, maxStaleness, fenceWait);
    }

    public ServerOptions withHookSecret(String secret) {
        return new ServerOptions(host, port, poll, Optional.ofNullable(secret), writeWait, maxStaleness, fenceWait);
    }

    public ServerOptions withPoll(Duration d) {
        return new ServerOptions(host, port, d, hookSecret, writeWait, maxStaleness, fenceWait);
    }

    public ServerOptions withMaxStaleness(Duration d) {
        return new ServerOptions(host, port, poll, hookSecret, writeWait, Optional.ofNullable(d), fenceWait);
    }

    public ServerOptions withFenceWait(Duration d) {
        return new ServerOptions(host, port, poll, hookSecret, writeWait, maxStaleness, d);
    }
}
