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
 */
public record ServerOptions(String host, int port, Duration poll, Optional<String> hookSecret, Duration writeWait) {
  public static ServerOptions defaults() {
    return new ServerOptions("127.0.0.1", 7070, Duration.ofSeconds(1), Optional.empty(), Duration.ofSeconds(30));
  }

  public ServerOptions withPort(int p) {
    return new ServerOptions(host, p, poll, hookSecret, writeWait);
  }

  public ServerOptions withHookSecret(String secret) {
    return new ServerOptions(host, port, poll, Optional.ofNullable(secret), writeWait);
  }

  public ServerOptions withPoll(Duration d) {
    return new ServerOptions(host, port, d, hookSecret, writeWait);
  }
}
