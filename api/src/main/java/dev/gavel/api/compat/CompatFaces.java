package dev.gavel.api.compat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.store.git.ConflictException;
import dev.gavel.store.git.InvalidRepoPathException;
import dev.gavel.store.git.UnknownRevisionException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers compatibility faces: each route under the face's base behind Gavel's authentication, the
 * caller's tenant resolved ({@link FaceCaller}), every refusal written in the face's own error shape,
 * and {@code GET <base>/openapi.json} describing exactly the face's routes.
 */
public final class CompatFaces {
    private static final Logger LOG = LoggerFactory.getLogger(CompatFaces.class);

    private CompatFaces() {}

    public static void register(JavalinConfig cfg, Authenticator authenticator, List<Face> faces) {
        for (Face face : faces) {
            ObjectNode doc = openApi(face);
            cfg.routes.addHttpHandler(HandlerType.GET, face.base() + "/openapi.json", ctx -> Json.ok(ctx, doc));
            for (FaceRoute r : face.routes()) {
                cfg.routes.addHttpHandler(r.method(), face.base() + r.path(), guarded(face, r, authenticator));
            }
        }
    }

    /**
     * Answers a status Javalin set itself (no route, wrong method, body too large) under a face's base in
     * the face's error shape; false when the path is no face's or the face already answered.
     */
    public static boolean answerError(io.javalin.http.Context ctx, List<Face> faces, ApiProblem problem) {
        if (Boolean.TRUE.equals(ctx.attribute(ANSWERED))) {
            return true;
        }
        for (Face f : faces) {
            if (ctx.path().equals(f.base()) || ctx.path().startsWith(f.base() + "/")) {
                write(f, ctx, problem);
                return true;
            }
        }
        return false;
    }

    private static final String ANSWERED = "gavel.face-answered";

    private static void write(Face face, io.javalin.http.Context ctx, ApiProblem problem) {
        face.error(ctx, problem);
        ctx.attribute(ANSWERED, true);
    }

    private static Handler guarded(Face face, FaceRoute route, Authenticator authenticator) {
        return ctx -> {
            try {
                Optional<Principal> p = authenticator.authenticate(ctx.header("Authorization"));
                if (p.isEmpty()) {
                    throw ApiProblem.unauthorized();
                }
                Caller caller = new Caller(p.get());
                caller.requireRole(route.role());
                ctx.attribute(FaceCaller.ATTRIBUTE, FaceCaller.resolve(ctx, caller, face));
                route.handler().handle(ctx);
            } catch (ApiProblem e) {
                write(face, ctx, e);
            } catch (UnknownRevisionException e) {
                write(face, ctx, ApiProblem.notFound(e.getMessage()));
            } catch (InvalidRepoPathException e) {
                write(
                        face,
                        ctx,
                        ApiProblem.badRequest(
                                e.getMessage(),
                                e.problems().stream()
                                        .map(x -> FieldError.of("path", x))
                                        .toList()));
            } catch (ConflictException e) {
                write(face, ctx, ApiProblem.conflict(e.getMessage(), List.of()));
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                write(
                        face,
                        ctx,
                        new ApiProblem(
                                500,
                                "internal",
                                "Internal server error",
                                "the server failed to answer; the error is in its log",
                                List.of()));
            }
        };
    }

    /** OpenAPI 3.0 document of one face: its routes, its error shape, nothing else. */
    public static ObjectNode openApi(Face face) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", face.title());
        info.put("version", "1");
        info.put(
                "description",
                "Served by Gavel as a compatibility face; the workspace is the token's tenant or the "
                        + face.tenantHeader() + " header.");
        doc.putArray("servers").addObject().put("url", face.base());
        ObjectNode components = doc.putObject("components");
        components
                .putObject("securitySchemes")
                .putObject("bearer")
                .put("type", "http")
                .put("scheme", "bearer");
        components.putObject("schemas").set("Error", face.errorSchema());
        ObjectNode paths = doc.putObject("paths");
        for (FaceRoute r : face.routes()) {
            ObjectNode item = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            ObjectNode op = item.putObject(r.method().name().toLowerCase(Locale.ROOT));
            op.put(
                    "operationId",
                    r.operationId() != null
                            ? r.operationId()
                            : r.method().name().toLowerCase(Locale.ROOT)
                                    + r.path().replaceAll("[^A-Za-z0-9]+", "_"));
            op.put("summary", r.summary());
            op.putArray("security").addObject().putArray("bearer");
            op.put("x-gavel-role", r.role().value());
            op.put("x-seed-role", r.seedRole());
            ArrayNode params = op.putArray("parameters");
            for (String seg : r.path().split("/")) {
                if (seg.startsWith("{") && seg.endsWith("}")) {
                    params.addObject()
                            .put("name", seg.substring(1, seg.length() - 1))
                            .put("in", "path")
                            .put("required", true)
                            .putObject("schema")
                            .put("type", "string");
                }
            }
            for (String q : r.query()) {
                params.addObject()
                        .put("name", q)
                        .put("in", "query")
                        .put("required", false)
                        .putObject("schema")
                        .put(
                                "type",
                                q.equals("page") || q.equals("pageSize") || q.equals("limit") ? "integer" : "string");
            }
            params.addObject()
                    .put("name", face.tenantHeader())
                    .put("in", "header")
                    .put("required", false)
                    .putObject("schema")
                    .put("type", "string");
            params.addObject()
                    .put("name", FaceCaller.GAVEL_TENANT_HEADER)
                    .put("in", "header")
                    .put("required", false)
                    .putObject("schema")
                    .put("type", "string");
            if (r.request() != null) {
                op.putObject("requestBody")
                        .put("required", !r.requestOptional())
                        .putObject("content")
                        .putObject("application/json")
                        .set("schema", r.request());
            }
            ObjectNode responses = op.putObject("responses");
            ObjectNode ok = responses.putObject(Integer.toString(r.status()));
            ok.put("description", "success");
            if (r.response() != null) {
                ok.putObject("content").putObject(r.mediaType()).set("schema", r.response());
            }
            ObjectNode err = responses.putObject("default");
            err.put("description", "an error in the seed's shape");
            err.putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/Error");
        }
        face.refineDocument(doc);
        return doc;
    }
}
