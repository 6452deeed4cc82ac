package dev.gavel.api.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** Writes an {@link ApiProblem} as RFC 9457 {@code application/problem+json}. */
final class ProblemWriter {
  static final String CONTENT_TYPE = "application/problem+json";
  static final String TYPE_BASE = "https://gavel.dev/problems/";
  private static final String WRITTEN = "gavel.problem";

  private ProblemWriter() {}

  static void write(Context ctx, ApiProblem p) {
    ObjectNode body = body(p, ctx.path());
    if (p.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"gavel\"");
    }
    ctx.attribute(WRITTEN, Boolean.TRUE);
    ctx.status(p.status()).contentType(CONTENT_TYPE).result(Json.bytes(body));
  }

  /** The problem document; {@code instance} is omitted when there is no path (a request Jetty could not read). */
  static ObjectNode body(ApiProblem p, String instance) {
    ObjectNode body = Json.object();
    body.put("type", TYPE_BASE + p.slug());
    body.put("title", p.title());
    body.put("status", p.status());
    body.put("detail", p.detail());
    if (instance != null) {
      body.put("instance", instance);
    }
    ArrayNode errors = body.putArray("errors");
    p.errors().forEach(e -> errors.add(Json.MAPPER.valueToTree(e)));
    return body;
  }

  static boolean written(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute(WRITTEN));
  }
}
