package dev.gavel.api.server;

import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.compat.CompatFaces;
import dev.gavel.api.compat.Face;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.server.eval.EvaluationFeature;
import dev.gavel.api.server.eval.EvaluationSettings;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.store.git.ConflictException;
import dev.gavel.store.git.FileTooLargeException;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.InvalidRepoPathException;
import dev.gavel.store.git.RemoteUnavailableException;
import dev.gavel.store.git.UnknownRevisionException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: wires the repository, the snapshot service, the authenticator and the routes
 * into one Javalin server. No container: every dependency is passed here, by hand.
 */
public final class GavelServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GavelServer.class);
    private static final String STARTED = "gavel.started";
    private static final String ROUTE = "gavel.route";

    private final GitPolicyRepository repository;
    private final Authenticator authenticator;
    private final ServerOptions options;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SnapshotService snapshots;
    private final EvaluationFeature evaluations;
    private final dev.gavel.api.workloads.WorkloadFeature workloads;
    private final List<ApiRoute> routes;
    private final ReadFence fence;
    private final java.util.function.Supplier<com.fasterxml.jackson.databind.node.ObjectNode> document;
    private List<Face> faces = List.of();
    private Javalin app;

    /** A server whose evaluation log lives in a temporary directory, removed on close. */
    public GavelServer(GitPolicyRepository repository, Authenticator authenticator, ServerOptions options) {
        this(repository, authenticator, options, EvaluationSettings.temporary());
    }

    private Duration drainTimeout = Duration.ofSeconds(10);
    private volatile org.eclipse.jetty.server.Server jetty;
    /** Requests inside a route handler now: what a stop waits for. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Set when the drain starts: route handlers refuse new requests from then on. */
    private volatile boolean draining;

    public GavelServer(
            GitPolicyRepository repository,
            Authenticator authenticator,
            ServerOptions options,
            EvaluationSettings evaluationSettings) {
        this.repository = repository;
        this.authenticator = authenticator;
        this.options = options;
        this.snapshots = new SnapshotService(repository, options.poll(), metrics);
        snapshots.maxStaleness(options.maxStaleness());
        this.fence = new ReadFence(repository, snapshots, options.fenceWait());
        this.evaluations = new EvaluationFeature(snapshots, evaluationSettings, metrics);
        evaluations.promotion().useHistory(new GitEnforcementHistory(repository));
        // Observed workloads live beside the evaluation log in the data directory (docs/workloads.md).
        this.workloads = new dev.gavel.api.workloads.WorkloadFeature(
                snapshots, evaluationSettings.log().file().toAbsolutePath().resolveSibling("workloads.db"));
        Routes table = new Routes(repository, snapshots, options, metrics, evaluations, workloads);
        this.routes = table.all();
        this.document = () -> OpenApiDocument.build(routes, table.schemas());
        io.micrometer.core.instrument.Gauge.builder(
                        "gavel_http_requests_in_flight", inFlight, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Requests inside a route handler now; a stop waits for them")
                .register(metrics);
    }

    /**
     * Compiles the head (or the newest good commit), starts following the branch, and listens; returns once
     * both are done. The first compile (seconds at 10,000 policies) runs in its own thread while Jetty and the
     * routes come up (1-1.7 s here), so start to first decision is the longer of the two, not their sum; until
     * the compile ends, decisions answer 503 and /readyz fails, as for a head that does not compile.
     */
    public GavelServer start() {
        CompletableFuture<Void> firstCompile = new CompletableFuture<>();
        Thread compile = new Thread(
                () -> {
                    try {
                        snapshots.start();
                        firstCompile.complete(null);
                    } catch (Throwable e) {
                        firstCompile.completeExceptionally(e);
                    }
                },
                "gavel-first-compile");
        compile.start();
        try {
            listen();
        } finally {
            awaitFirstCompile(firstCompile); // also when Jetty failed: nothing may compile on a closed repository
        }
        workloads.start();
        LOG.info("listening on http://{}:{}", options.host(), app.port());
        return this;
    }

    private static void awaitFirstCompile(CompletableFuture<Void> firstCompile) {
        try {
            firstCompile.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void listen() {
        app = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    cfg.startup.showOldJavalinVersionWarning = false;
                    cfg.http.prefer405over404 = true;
                    cfg.http.maxRequestSize = RequestInput.MAX_BODY;
                    cfg.jetty.host = options.host();
                    cfg.jetty.port = options.port();
                    cfg.jetty.modifyServer(server -> {
                        server.setErrorHandler(new JettyProblemHandler());
                        jetty = server;
                        // Jetty's stop then waits for requests still being answered (their bytes written) at most this
                        // long.
                        server.setStopTimeout(drainTimeout.toMillis());
                        server.setHandler(
                                new org.eclipse.jetty.server.handler
                                        .GracefulHandler()); // Javalin nests its context inside
                    });
                    cfg.jetty.modifyServletContextHandler(context -> {
                        context.setErrorHandler(new JettyProblemHandler());
                    });
                    for (ApiRoute r : routes) {
                        cfg.routes.addHttpHandler(r.method(), r.path(), guarded(r));
                    }
                    CompatFaces.register(cfg, authenticator, faces);
                    dev.gavel.api.console.ConsoleAssets.register(
                            cfg); // the web console's files under /ui/ (docs/console.md)
                    cfg.routes.exception(ApiProblem.class, (e, ctx) -> ProblemWriter.write(ctx, e));
                    cfg.routes.exception(
                            UnknownRevisionException.class,
                            (e, ctx) -> ProblemWriter.write(ctx, ApiProblem.notFound(e.getMessage())));
                    cfg.routes.exception(
                            FileTooLargeException.class,
                            (e, ctx) -> ProblemWriter.write(
                                    ctx,
                                    new ApiProblem(
                                            422,
                                            "file-too-large",
                                            "File too large",
                                            e.getMessage(),
                                            List.of(FieldError.of(e.path(), e.getMessage())))));
                    cfg.routes.exception(
                            InvalidRepoPathException.class,
                            (e, ctx) -> ProblemWriter.write(
                                    ctx,
                                    ApiProblem.badRequest(
                                            e.getMessage(),
                                            e.problems().stream()
                                                    .map(p -> FieldError.of("path", p))
                                                    .toList())));
                    cfg.routes.exception(
                            ConflictException.class,
                            (e, ctx) -> ProblemWriter.write(
                                    ctx,
                                    ApiProblem.conflict(
                                            e.getMessage(),
                                            e.paths().stream()
                                                    .map(p -> FieldError.of(
                                                            "path", p + " changed since the request's base"))
                                                    .toList())));
                    cfg.routes.exception(RemoteUnavailableException.class, (e, ctx) -> {
                        ctx.header(
                                "Retry-After",
                                Long.toString(Math.max(1, e.retryAfter().toSeconds())));
                        ProblemWriter.write(ctx, ApiProblem.unavailable(e.getMessage() + "; nothing was written"));
                    });
                    cfg.routes.exception(
                            HttpResponseException.class,
                            (e, ctx) -> ProblemWriter.write(ctx, fromJavalin(e.getStatus(), e.getMessage())));
                    cfg.routes.exception(Exception.class, (e, ctx) -> {
                        if (clientWentAway(e)) {
                            // The client closed the connection mid-request: its error, not ours; nobody reads the
                            // answer.
                            LOG.info(
                                    "{} {}: the client closed the connection before the request was read",
                                    ctx.method(),
                                    ctx.path());
                            ProblemWriter.write(ctx, ApiProblem.badRequest("the request body ended early"));
                            return;
                        }
                        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                        ProblemWriter.write(
                                ctx,
                                new ApiProblem(
                                        500,
                                        "internal",
                                        "Internal server error",
                                        "the server failed to answer; the error is in its log",
                                        List.of()));
                    });
                    // Statuses Javalin sets itself (unknown route, wrong method) get the same problem body.
                    for (int status : new int[] {400, 404, 405, 413, 500}) {
                        cfg.routes.error(status, ctx -> {
                            if (!ProblemWriter.written(ctx)
                                    && !CompatFaces.answerError(ctx, faces, fromJavalin(ctx.statusCode(), null))) {
                                ProblemWriter.write(ctx, fromJavalin(ctx.statusCode(), null));
                            }
                        });
                    }
                    cfg.routes.before(ctx -> {
                        ctx.attribute(STARTED, System.nanoTime());
                        fence.markStale(ctx);
                    });
                    cfg.routes.after(this::measure);
                })
                .start();
    }

    /** Latency by route template, method and status: p99 per route is one query. */
    private void measure(Context ctx) {
        String route = Optional.ofNullable(ctx.<String>attribute(ROUTE)).orElse("unmatched");
        String status = Integer.toString(ctx.statusCode());
        Counter.builder("gavel_http_requests")
                .description("HTTP requests answered, by method and status")
                .tags("method", ctx.method().name(), "status", status)
                .register(metrics)
                .increment();
        Long started = ctx.attribute(STARTED);
        if (started != null) {
            Timer.builder("gavel_http_server_requests")
                    .description("HTTP answers by route template, method and status (histogram)")
                    .tags("route", route, "method", ctx.method().name(), "status", status)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(metrics)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Handler guarded(ApiRoute route) {
        Handler inner = authorized(route);
        return ctx -> {
            inFlight.incrementAndGet();
            try {
                if (draining) {
                    // Shutting down: a request arriving on a kept-alive connection is refused, not started, so the
                    // drain ends once the requests already running are answered, even under steady load.
                    ctx.header("Connection", "close");
                    ctx.header("Retry-After", "1");
                    throw ApiProblem.unavailable(
                            "the server is shutting down; retry on another replica or after its restart");
                }
                inner.handle(ctx);
            } finally {
                inFlight.decrementAndGet();
            }
        };
    }

    private Handler authorized(ApiRoute route) {
        Handler h = strictQuery(route);
        if (route.role().isEmpty()) {
            return ctx -> {
                RequestInput.requireWellFormedQuery(ctx);
                h.handle(ctx);
            };
        }
        return ctx -> {
            RequestInput.requireWellFormedQuery(ctx);
            Optional<Principal> p = authenticator.authenticate(ctx.header("Authorization"));
            if (p.isEmpty()) {
                throw ApiProblem.unauthorized();
            }
            Caller caller = new Caller(p.get());
            caller.requireRole(route.role().get());
            ctx.attribute(Caller.ATTRIBUTE, caller);
            fence.await(ctx);
            if (route.path().contains("{scope}")) {
                requireScopeWithinLevels(RequestInput.scope(ctx));
            }
            h.handle(ctx);
        };
    }

    /** Whether {@code e} says the client went away (Jetty's EofException, or an early end of the body). */
    static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.io.EofException
                    || (t instanceof java.io.IOException
                            && String.valueOf(t.getMessage()).contains("Early EOF"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * A scope deeper than the repository's levels is refused on every route, reads included (a read
     * would otherwise answer with the global policies as if the scope existed).
     */
    private void requireScopeWithinLevels(ScopePath scope) {
        snapshots.current().ifPresent(s -> {
            List<String> levels = s.settings().levels();
            if (scope.depth() > levels.size()) {
                throw new ApiProblem(
                        422,
                        "unprocessable-request",
                        "Unprocessable request",
                        "scope '" + scope.dotted() + "' has " + scope.depth() + " levels; this repository has "
                                + levels.size(),
                        List.of(FieldError.of(
                                "scope", "at most " + levels.size() + " levels (" + String.join(", ", levels) + ")")));
            }
        });
    }

    /**
     * The route's handler, refusing query parameters it does not read: a client that guessed a name wrong
     * learns it instead of getting the wrong data.
     */
    private static Handler strictQuery(ApiRoute route) {
        Set<String> accepted = Set.copyOf(route.query());
        String list = route.query().isEmpty() ? "none" : String.join(", ", route.query());
        Handler h = route.handler();
        return ctx -> {
            ctx.attribute(ROUTE, route.path());
            List<String> unknown = ctx.queryParamMap().keySet().stream()
                    .filter(k -> !accepted.contains(k))
                    .sorted()
                    .toList();
            if (!unknown.isEmpty()) {
                throw ApiProblem.badRequest(
                        "unknown query parameter" + (unknown.size() == 1 ? " " : "s ")
                                + unknown.stream()
                                        .map(k -> "'" + Names.printable(k) + "'")
                                        .collect(Collectors.joining(", "))
                                + "; this route accepts: " + list,
                        unknown.stream()
                                .map(k -> FieldError.of(
                                        Names.printable(k), "not a parameter of this route; it accepts: " + list))
                                .toList());
            }
            h.handle(ctx);
        };
    }

    private static ApiProblem fromJavalin(int status, String message) {
        return switch (status) {
            case 404 -> ApiProblem.notFound("no route matches this path");
            case 405 ->
                new ApiProblem(
                        405,
                        "method-not-allowed",
                        "Method not allowed",
                        "this path does not accept this method",
                        List.of());
            case 413 -> ApiProblem.tooLarge(RequestInput.MAX_BODY);
            case 400 -> ApiProblem.badRequest(message == null ? "bad request" : message);
            default ->
                new ApiProblem(
                        status,
                        status >= 500 ? "internal" : "http-" + status,
                        status >= 500 ? "Internal server error" : "Request error",
                        status >= 500
                                ? "the server failed to answer; the error is in its log"
                                : String.valueOf(message),
                        List.of());
        };
    }

    /** Requests inside a route handler now (also the gauge {@code gavel_http_requests_in_flight}). */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /** The port listened on (the real one when started with port 0). */
    public int port() {
        return app.port();
    }

    public SnapshotService snapshots() {
        return snapshots;
    }

    /** The evaluation log, breakers and their routes. */
    public EvaluationFeature evaluations() {
        return evaluations;
    }

    /** Observed workloads: cluster reports and the heartbeat policies governing them. */
    public dev.gavel.api.workloads.WorkloadFeature workloads() {
        return workloads;
    }

    public GitPolicyRepository repository() {
        return repository;
    }

    /**
     * Serves compatibility faces beside /api/v1 (call before {@link #start()}). They are made from the
     * server's parts by the composition root, so this package knows no face.
     */
    public GavelServer withFaces(java.util.function.Function<GavelServer, List<Face>> make) {
        this.faces = List.copyOf(make.apply(this));
        return this;
    }

    /** A commit pipeline over this server's repository and snapshots, for a face's writes. */
    public CommitPipeline commitPipeline() {
        return new CommitPipeline(repository, snapshots, options.writeWait());
    }

    /** The compatibility faces served beside /api/v1. */
    public List<Face> faces() {
        return faces;
    }

    /** The route table, as registered and as documented. */
    public List<ApiRoute> routes() {
        return routes;
    }

    /** The OpenAPI document of the route table (what {@code GET /openapi.json} answers). */
    public com.fasterxml.jackson.databind.node.ObjectNode openApiDocument() {
        return document.get();
    }

    /** The routes Javalin actually registered (not before/after filters), as {@code METHOD path}. */
    public List<String> registeredRoutes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(e -> e.endpoint.method.isHttpMethod())
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .toList();
    }

    /**
     * How long {@link #close()} lets requests in flight finish (default 10 s); call before {@link #start()}.
     * Past it, connections still open are closed.
     */
    /** True once {@link #close()} started draining: new requests are refused with 503. */
    public boolean draining() {
        return draining;
    }

    public GavelServer drainTimeout(Duration timeout) {
        this.drainTimeout = timeout;
        return this;
    }

    /** Closes the listening sockets, then waits for the requests in route handlers to finish (bounded). */
    private void drain() {
        draining = true;
        if (jetty != null) {
            for (org.eclipse.jetty.server.Connector c : jetty.getConnectors()) {
                if (c instanceof org.eclipse.jetty.server.NetworkConnector n) {
                    n.close(); // no new connection; open ones keep being served
                }
            }
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("stopping with {} requests still in flight after {}", inFlight.get(), drainTimeout);
        }
    }

    /** Stops accepting, lets requests in flight finish (at most the drain timeout), then flushes the log. */
    @Override
    public void close() {
        if (app != null) {
            long start = System.nanoTime();
            drain();
            app.stop();
            LOG.info("stopped listening; drained in {} ms", (System.nanoTime() - start) / 1_000_000);
        }
        workloads.close();
        evaluations.close(); // after the listener stopped: every answered evaluation is flushed
        snapshots.close();
        metrics.close();
        LOG.info("stopped");
    }
}
