package dev.gavel.api.cli;

import dev.gavel.api.auth.AdminTokenFile;
import dev.gavel.api.auth.ApiKeyStore;
import dev.gavel.api.auth.AuthConfig;
import dev.gavel.api.auth.BearerAuthenticator;
import dev.gavel.api.server.GavelServer;
import dev.gavel.api.server.ServerOptions;
import dev.gavel.api.server.eval.EvaluationSettings;
import dev.gavel.store.log.Durability;
import dev.gavel.store.log.LogSettings;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gavel serve}: the HTTP API over a policies repository, following its branch. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Serve the HTTP API over a policies repository, following its branch.",
    description = {
        "Serve the HTTP API over a policies repository, following its branch.",
        "Without --repo, a demo repository is created once from the template under <data>/policies."})
final class ServeCommand implements Callable<Integer> {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Option(names = "--repo", paramLabel = "PATH|URL",
      description = "A Git repository (bare or with a work tree) or a remote URL to clone (default: <data>/policies).")
  String repo;

  @Option(names = "--branch", defaultValue = RepositorySettings.DEFAULT_BRANCH,
      description = "The branch to serve (default: ${DEFAULT-VALUE}).")
  String branch;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = TokenCommand.DEFAULT_DATA,
      description = "Data directory: API keys, admin.token, the demo repository, clones (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--port", defaultValue = "7070", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--poll", defaultValue = "1s", paramLabel = "DURATION",
      description = "How often to check the branch for new commits: 500ms, 1s, 2m or ISO-8601 (default: ${DEFAULT-VALUE}).")
  String poll;

  @Option(names = "--hook-secret", paramLabel = "S",
      description = "Secret of POST /api/v1/hooks/git (X-Hub-Signature-256); else the env GAVEL_HOOK_SECRET.")
  String hookSecret;

  @Option(names = "--log-file", paramLabel = "FILE",
      description = "The evaluation log, an SQLite database (default: <data>/evaluations.db).")
  Path logFile;

  @Option(names = "--log-durability", defaultValue = "batch", paramLabel = "batch|sync",
      description = "batch: answer once the row is queued (a crash loses at most the rows of the last ~50 ms); "
          + "sync: answer once it is committed (default: ${DEFAULT-VALUE}).")
  String logDurability;

  @Option(names = "--log-retention", paramLabel = "DURATION",
      description = "Delete evaluations older than this: 30d, 12h or ISO-8601 (default: keep them all).")
  String logRetention;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Duration interval = parseDuration(poll);
    if (port < 0 || port > 65535) {
      throw new UserError("--port must be between 0 and 65535", 2);
    }
    LogSettings logSettings = logSettings();
    Files.createDirectories(data);
    GitPolicyRepository repository = openRepository();
    BearerAuthenticator authenticator;
    Optional<AdminTokenFile> adminToken;
    try {
      authenticator = BearerAuthenticator.fromConfig(AuthConfig.fromEnvironment(data, System.getenv()));
      adminToken = ensureAdminKey(authenticator);
    } catch (RuntimeException e) {
      repository.close();
      throw new UserError("auth: " + e.getMessage());
    }
    String secret = hookSecret != null ? hookSecret : System.getenv("GAVEL_HOOK_SECRET");
    ServerOptions options = new ServerOptions(bind, port, interval,
        Optional.ofNullable(secret).filter(s -> !s.isBlank()), Duration.ofSeconds(30));
    GavelServer server;
    try {
      server = new GavelServer(repository, authenticator, options, EvaluationSettings.of(logSettings));
    } catch (LogUnavailableException e) {
      repository.close();
      throw new UserError(e.getMessage());
    }
    try {
      server.start();
    } catch (RuntimeException e) {
      server.close();
      repository.close();
      throw new UserError("cannot listen on " + bind + ":" + port + ": " + rootMessage(e));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      repository.close();
      stopped.countDown();
    }, "gavel-shutdown"));
    var out = spec.commandLine().getOut();
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    out.printf("Gavel serving http://%s:%d%n", host, server.port());
    out.printf("  repository: %s (branch %s)%n", repo == null ? data.resolve("policies").toAbsolutePath() : repo, branch);
    out.printf("  evaluation log: %s (%s%s)%n", logSettings.file().toAbsolutePath(), logSettings.durability().value(),
        logSettings.retention().map(r -> ", retention " + r).orElse(""));
    out.printf("  commit:     %s%n", server.snapshots().current().map(PolicySnapshot::commit)
        .orElse("none (no commit compiles yet; see /api/v1/status)"));
    out.printf("  admin token: %s%n", adminToken.map(t -> t.path().toAbsolutePath().toString())
        .orElse("none on disk (keys exist: gavel token create --role admin --data " + data + ")"));
    out.printf("  try: curl -H \"Authorization: Bearer $(cat %s)\" http://%s:%d/api/v1/status%n",
        data.resolve(ApiKeyStore.ADMIN_TOKEN_FILE), host, server.port());
    out.flush();
    stopped.await();
    return 0;
  }

  private LogSettings logSettings() {
    Durability durability = Durability.fromValue(logDurability.strip().toLowerCase(Locale.ROOT)).orElseThrow(
        () -> new UserError("--log-durability must be batch or sync, not '" + logDurability + "'", 2));
    Optional<Duration> retention = Optional.empty();
    if (logRetention != null && !logRetention.isBlank()) {
      retention = Optional.of(parseRetention(logRetention));
    }
    Path file = logFile != null ? logFile : data.resolve("evaluations.db");
    return LogSettings.defaults(file).withDurability(durability).withRetention(retention);
  }

  static Duration parseRetention(String text) {
    return Ages.parse("--log-retention", text);
  }

  private GitPolicyRepository openRepository() throws IOException {
    if (repo == null) {
      Path demo = data.resolve("policies");
      if (Files.isDirectory(demo)) {
        try (var entries = Files.list(demo)) {
          if (entries.findAny().isPresent()) {
            return open(demo);
          }
        }
      }
      return GitPolicyRepository.initFromFiles(demo, RepositoryTemplate.files(), true, branch,
          new Author("Gavel", "gavel@localhost"), "Demo policies from the Gavel template");
    }
    if (repo.contains("://") || repo.matches("[^/\\s]+@[^/\\s]+:.*")) {
      try {
        return GitPolicyRepository.cloneRemote(repo, data.resolve("clone"), branch);
      } catch (IOException | RuntimeException e) {
        throw new UserError("cannot clone " + repo + ": " + rootMessage(e));
      }
    }
    return open(Path.of(repo));
  }

  private GitPolicyRepository open(Path dir) {
    try {
      return GitPolicyRepository.open(dir, branch);
    } catch (IOException | RuntimeException e) {
      throw new UserError("cannot open " + dir + ": " + rootMessage(e));
    }
  }

  static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT_DURATION.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } else {
      try {
        d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new UserError("--poll '" + text + "' is not a duration such as 500ms, 1s, 2m or PT1S", 2);
      }
    }
    if (d.toMillis() < 50) {
      throw new UserError("--poll must be at least 50ms", 2);
    }
    return d;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /**
   * Creates the first admin key through the authenticator's own key store, so the key works on
   * the first request: another store instance would see it only at its next file check (1 s).
   */
  static Optional<AdminTokenFile> ensureAdminKey(BearerAuthenticator authenticator) {
    return authenticator.apiKeys().ensureAdminKey();
  }
}
