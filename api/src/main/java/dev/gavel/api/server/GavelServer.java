package dev.gavel.api.server;

import dev.gavel.api.compat.CompatFaces;
import dev.gavel.api.compat.Face;
import dev.gavel.api.compat.workspace.WorkspaceFace;
import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.server.eval.EvaluationFeature;
import dev.gavel.api.server.eval.EvaluationSettings;
import dev.gavel.store.git.ConflictException;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.InvalidRepoPathException;
import dev.gavel.store.git.UnknownRevisionException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: wires the repository, the snapshot service, the authenticator and the routes
 * into one Javalin server. No container: every dependency is passed here, by hand.
 */
public final class GavelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GavelServer.class);

  private final GitPolicyRepository repository;
  private final Authenticator authenticator;
  private final ServerOptions options;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SnapshotService snapshots;
  private final EvaluationFeature evaluations;
  private final List<ApiRoute> routes;
  private final List<Face> faces;
  private Javalin app;

  /** A server whose evaluation log lives in a temporary directory, removed on close. */
  public GavelServer(GitPolicyRepository repository, Authenticator authenticator, ServerOptions options) {
    this(repository, authenticator, options, EvaluationSettings.temporary());
  }

  public GavelServer(GitPolicyRepository repository, Authenticator authenticator, ServerOptions options,
      EvaluationSettings evaluationSettings) {
    this.repository = repository;
    this.authenticator = authenticator;
    this.options = options;
    this.snapshots = new SnapshotService(repository, options.poll(), metrics);
    this.evaluations = new EvaluationFeature(snapshots, evaluationSettings, metrics);
    this.routes = new Routes(repository, snapshots, options, metrics, evaluations).all();
    CommitPipeline facePipeline = new CommitPipeline(repository, snapshots, options.writeWait());
    this.faces = List.of(
        new WorkspaceFace(repository, snapshots, facePipeline, evaluations));
  }

  /** Compiles the head (or the newest good commit), starts following the branch, then listens. */
  public GavelServer start() {
    snapshots.start();
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.prefer405over404 = true;
      cfg.http.maxRequestSize = RequestInput.MAX_BODY;
      cfg.jetty.host = options.host();
      cfg.jetty.port = options.port();
      for (ApiRoute r : routes) {
        cfg.routes.addHttpHandler(r.method(), r.path(), guarded(r));
      }
      CompatFaces.register(cfg, authenticator, faces);
      cfg.routes.exception(ApiProblem.class, (e, ctx) -> ProblemWriter.write(ctx, e));
      cfg.routes.exception(UnknownRevisionException.class,
          (e, ctx) -> ProblemWriter.write(ctx, ApiProblem.notFound(e.getMessage())));
      cfg.routes.exception(InvalidRepoPathException.class, (e, ctx) -> ProblemWriter.write(ctx,
          ApiProblem.badRequest(e.getMessage(), e.problems().stream().map(p -> FieldError.of("path", p)).toList())));
      cfg.routes.exception(ConflictException.class, (e, ctx) -> ProblemWriter.write(ctx, ApiProblem.conflict(
          e.getMessage(), e.paths().stream().map(p -> FieldError.of("path", p + " changed since the request's base")).toList())));
      cfg.routes.exception(HttpResponseException.class, (e, ctx) -> ProblemWriter.write(ctx, fromJavalin(e.getStatus(), e.getMessage())));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        ProblemWriter.write(ctx, new ApiProblem(500, "internal", "Internal server error",
            "the server failed to answer; the error is in its log", List.of()));
      });
      // Statuses Javalin sets itself (unknown route, wrong method) get the same problem body.
      for (int status : new int[] {400, 404, 405, 413, 500}) {
        cfg.routes.error(status, ctx -> {
          if (!ProblemWriter.written(ctx) && !CompatFaces.answerError(ctx, faces, fromJavalin(ctx.statusCode(), null))) {
            ProblemWriter.write(ctx, fromJavalin(ctx.statusCode(), null));
          }
        });
      }
      cfg.routes.after(ctx -> metrics.counter("gavel_http_requests", "method", ctx.method().name(),
          "status", Integer.toString(ctx.statusCode())).increment());
    }).start();
    LOG.info("listening on http://{}:{}", options.host(), app.port());
    return this;
  }

  private Handler guarded(ApiRoute route) {
    Handler h = route.handler();
    if (route.role().isEmpty()) {
      return h;
    }
    return ctx -> {
      Optional<Principal> p = authenticator.authenticate(ctx.header("Authorization"));
      if (p.isEmpty()) {
        throw ApiProblem.unauthorized();
      }
      Caller caller = new Caller(p.get());
      caller.requireRole(route.role().get());
      ctx.attribute(Caller.ATTRIBUTE, caller);
      h.handle(ctx);
    };
  }

  private static ApiProblem fromJavalin(int status, String message) {
    return switch (status) {
      case 404 -> ApiProblem.notFound("no route matches this path");
      case 405 -> new ApiProblem(405, "method-not-allowed", "Method not allowed",
          "this path does not accept this method", List.of());
      case 413 -> ApiProblem.tooLarge(RequestInput.MAX_BODY);
      case 400 -> ApiProblem.badRequest(message == null ? "bad request" : message);
      default -> new ApiProblem(status, status >= 500 ? "internal" : "http-" + status,
          status >= 500 ? "Internal server error" : "Request error",
          status >= 500 ? "the server failed to answer; the error is in its log" : String.valueOf(message), List.of());
    };
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

  public GitPolicyRepository repository() {
    return repository;
  }

  /** The compatibility faces served beside /api/v1. */
  public List<Face> faces() {
    return faces;
  }

  /** The route table, as registered and as documented. */
  public List<ApiRoute> routes() {
    return routes;
  }

  /** The routes Javalin actually registered (not before/after filters), as {@code METHOD path}. */
  public List<String> registeredRoutes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(e -> e.endpoint.method.isHttpMethod())
        .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
        .toList();
  }

  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
    evaluations.close(); // after the listener stopped: every answered evaluation is flushed
    snapshots.close();
    metrics.close();
    LOG.info("stopped");
  }
}
