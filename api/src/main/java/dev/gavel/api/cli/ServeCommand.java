package dev.gavel.api.cli;

import dev.gavel.api.auth.AdminTokenFile;
import dev.gavel.api.auth.ApiKeyStore;
import dev.gavel.api.auth.AuthConfig;
import dev.gavel.api.auth.BearerAuthenticator;
import dev.gavel.api.auth.FleetKeys;
import dev.gavel.api.compat.blaxel.BlaxelFace;
import dev.gavel.api.compat.cpod.CpodFace;
import dev.gavel.api.compat.workspace.WorkspaceFace;
import dev.gavel.api.compat.znyx.ZnyxFace;
import dev.gavel.api.server.GavelServer;
import dev.gavel.api.server.ServerOptions;
import dev.gavel.api.server.eval.EvaluationSettings;
import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.log.Durability;
import dev.gavel.store.log.LogSettings;
import dev.gavel.store.log.LogUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
            "Without --repo, a demo repository is created once from the template under <data>/policies."
        })
final class ServeCommand implements Callable<Integer> {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Option(
            names = "--repo",
            paramLabel = "PATH|URL",
            description =
                    "A Git repository (bare or with a work tree) or a remote URL to clone (default: <data>/policies).")
    String repo;

    @Option(
            names = "--branch",
            defaultValue = RepositorySettings.DEFAULT_BRANCH,
            description = "The branch to serve (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = TokenCommand.DEFAULT_DATA,
            description =
                    "Data directory: API keys, admin.token, the demo repository, clones (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(
            names = "--port",
            defaultValue = "7070",
            description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--poll",
            defaultValue = "1s",
            paramLabel = "DURATION",
            converter = Durations.class,
            description = "How often to check the branch for new commits: 500ms, 1s, 2m or ISO-8601; at least 50ms "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration poll;

    @Option(
            names = "--max-staleness",
            paramLabel = "DURATION",
            converter = Durations.class,
            description =
                    "With a remote --repo: past this long without a successful fetch, /readyz answers 503 so a load "
                            + "balancer drains this replica (it keeps answering from its last snapshot, marked X-Gavel-Stale). "
                            + "Default: never; see docs/fleet.md.")
    Duration maxStaleness;

    @Option(
            names = "--hook-secret",
            paramLabel = "S",
            defaultValue = "${env:GAVEL_HOOK_SECRET}",
            description =
                    "Secret of POST /api/v1/hooks/git (X-Hub-Signature-256) (default: the env GAVEL_HOOK_SECRET).")
    String hookSecret;

    @Option(
            names = "--log-file",
            paramLabel = "FILE",
            description = "The evaluation log, an SQLite database (default: <data>/evaluations.db).")
    Path logFile;

    @Option(
            names = "--log-durability",
            defaultValue = "batch",
            paramLabel = "batch|sync",
            converter = DurabilityConverter.class,
            description = "batch: answer once the row is queued (a crash loses at most the rows answered within about "
                    + "twice --log-max-lag); "
                    + "sync: answer once it is committed (default: ${DEFAULT-VALUE}).")
    Durability logDurability;

    @Option(
            names = "--log-max-lag",
            defaultValue = "50ms",
            paramLabel = "DURATION",
            converter = Durations.class,
            description =
                    "With batch durability, evaluations wait while the log's writer is this far behind: a crash "
                            + "loses at most the rows answered within about twice this; 0ms turns the bound off (default: ${DEFAULT-VALUE}).")
    Duration logMaxLag;

    @Option(
            names = "--log-retention",
            paramLabel = "DURATION",
            converter = Durations.class,
            description =
                    "Delete evaluations older than this: 30d, 12h or ISO-8601; at least 1m (default: keep them all).")
    Duration logRetention;

    /** Everything serve runs with, checked: the options as one value, not strings read inside call(). */
    record ServeConfig(
            Optional<String> repo,
            String branch,
            Path data,
            String bind,
            int port,
            Duration poll,
            Optional<String> hookSecret,
            LogSettings log) {
        ServeConfig {
            if (port < 0 || port > 65535) {
                throw new UserError("--port must be between 0 and 65535", 2);
            }
            if (poll.toMillis() < 50) {
                throw new UserError("--poll must be at least 50ms", 2);
            }
            if (log.retention().isPresent() && log.retention().get().toMinutes() < 1) {
                throw new UserError("--log-retention must be at least 1m", 2);
            }
        }

        ServerOptions serverOptions() {
            return new ServerOptions(bind, port, poll, hookSecret, Duration.ofSeconds(30));
        }
    }

    /** The options as a checked {@link ServeConfig}. */
    ServeConfig config() {
        Path file = logFile != null ? logFile : data.resolve("evaluations.db");
        return new ServeConfig(
                Optional.ofNullable(repo),
                branch,
                data,
                bind,
                port,
                poll,
                Optional.ofNullable(hookSecret).filter(s -> !s.isBlank()),
                LogSettings.defaults(file)
                        .withDurability(logDurability)
                        .withRetention(Optional.ofNullable(logRetention))
                        .withMaxLag(logMaxLag == null ? LogSettings.DEFAULT_MAX_LAG : logMaxLag));
    }

    /** batch or sync, in any case. */
    static final class DurabilityConverter implements picocli.CommandLine.ITypeConverter<Durability> {
        @Override
        public Durability convert(String value) {
            return Durability.fromValue(value.strip().toLowerCase(Locale.ROOT))
                    .orElseThrow(() ->
                            new picocli.CommandLine.TypeConversionException("'" + value + "' is not batch or sync"));
        }
    }

    @Option(
            names = "--shutdown-timeout",
            defaultValue = "10s",
            paramLabel = "DURATION",
            converter = Durations.class,
            description = "On SIGTERM, how long requests in flight may take to finish before the log is flushed "
                    + "and the process exits (default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(
            names = "--warm-up",
            hidden = true,
            description = "Start, send this server one request of each kind, stop: the training run of a class-data "
                    + "archive (scripts/gavel; docs/operations.md). Signs in with <data>/admin.token.")
    boolean warmUp;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServeConfig config = config();
        LogSettings logSettings = config.log();
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
        ServerOptions options = config.serverOptions();
        if (maxStaleness != null) {
            options = options.withMaxStaleness(maxStaleness);
        }
        // A fleet: keys made or revoked on any replica reach the others through refs/gavel/keys on the same remote.
        FleetKeys fleetKeys = repository.remoteStatus().isPresent()
                ? FleetKeys.start(authenticator.apiKeys(), repository, config.poll())
                : null;
        GavelServer server;
        try {
            server = new GavelServer(repository, authenticator, options, EvaluationSettings.of(logSettings))
                    .drainTimeout(shutdownTimeout)
                    .withFaces(s -> List.of(
                            WorkspaceFace.of(s),
                            CpodFace.of(s),
                            BlaxelFace.of(s),
                            ZnyxFace.of(s),
                            dev.gavel.api.compat.cedana.CedanaFace.of(s)));
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
        if (warmUp) {
            return warmUp(server, repository, adminToken);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (fleetKeys != null) {
                                fleetKeys.close();
                            }
                            server.close();
                            repository.close();
                            stopped.countDown();
                        },
                        "gavel-shutdown"));
        var out = spec.commandLine().getOut();
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        out.printf("Gavel serving http://%s:%d%n", host, server.port());
        out.printf("  console:    http://%s:%d/ui/ (sign in with an API key)%n", host, server.port());
        out.printf(
                "  repository: %s (branch %s)%n",
                repo == null ? data.resolve("policies").toAbsolutePath() : repo, branch);
        out.printf(
                "  evaluation log: %s (%s%s)%n",
                logSettings.file().toAbsolutePath(),
                logSettings.durability().value(),
                logSettings.retention().map(r -> ", retention " + r).orElse(""));
        out.printf(
                "  commit:     %s%n",
                server.snapshots()
                        .current()
                        .map(PolicySnapshot::commit)
                        .orElse("none (no commit compiles yet; see /api/v1/status)"));
        out.printf(
                "  admin token: %s%n",
                adminToken
                        .map(t -> t.path().toAbsolutePath().toString())
                        .orElse("none on disk (keys exist: gavel token create --role admin --data " + data + ")"));
        out.printf(
                "  try: curl -H \"Authorization: Bearer $(cat %s)\" http://%s:%d/api/v1/status%n",
                data.resolve(ApiKeyStore.ADMIN_TOKEN_FILE), host, server.port());
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code --warm-up}: one request of each kind to this server, then stop (no shutdown hook, no banner). */
    private int warmUp(GavelServer server, GitPolicyRepository repository, Optional<AdminTokenFile> adminToken)
            throws IOException, InterruptedException {
        try {
            if (adminToken.isEmpty()) {
                throw new UserError("--warm-up signs in with " + data.resolve(ApiKeyStore.ADMIN_TOKEN_FILE)
                        + ", which this data directory does not have (use a fresh --data)");
            }
            String token = Files.readString(adminToken.get().path()).strip();
            String host = bind.contains(":") ? "[" + bind + "]" : bind;
            List<ServeWarmUp.Answer> answers = ServeWarmUp.run("http://" + host + ":" + server.port(), token);
            var out = spec.commandLine().getOut();
            out.println("warm-up: " + answers);
            out.flush();
            return answers.stream().anyMatch(ServeWarmUp.Answer::failed) ? 1 : 0;
        } finally {
            server.close();
            repository.close();
        }
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
            return GitPolicyRepository.initFromFiles(
                    demo,
                    RepositoryTemplate.files(),
                    true,
                    branch,
                    new Author("Gavel", "gavel@localhost"),
                    "Demo policies from the Gavel template");
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
