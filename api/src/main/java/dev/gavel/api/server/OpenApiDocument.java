package dev.gavel.api.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The OpenAPI 3.1 document of the route table: every registered route, and nothing else. */
final class OpenApiDocument {
  private static final Map<String, String> SCHEMAS = new TreeMap<>(Map.ofEntries(
      Map.entry("Health", "{status: ok}"),
      Map.entry("Status", "ready, upToDate, branch, head, served {commit, since}, newest {commit, compiled, diagnostics}"),
      Map.entry("Text", "Prometheus text exposition"),
      Map.entry("Object", "a JSON object"),
      Map.entry("HookResult", "{head}: the branch head after fetching"),
      Map.entry("PolicyList", "{data: [policy summary], meta: {hasMore, nextCursor, total, limit, commit}}"),
      Map.entry("ScopePolicies", "{scope, commit, version?, data: [RawPolicy]}"),
      Map.entry("RawPolicy", "{scope, name, file, commit, etag, policy, source, createdAt, createdBy, updatedAt, updatedBy}"),
      Map.entry("ResolvedSet", "{scope, commit, data: [{name, definedAt, policy, layers: [{scope, file}], provenance}]}"),
      Map.entry("VersionList", "{head, data: [{version, commit, author, time, message, changes}]}"),
      Map.entry("CommitList", "{data: [commit], meta: {hasMore, nextCursor, total}}"),
      Map.entry("CommitDetails", "{commit, parents, author, time, subject, message, changes, files: [{path, kind, before, after, diff}]}"),
      Map.entry("TemplateList", "{data: [{type, name, source, policy}]}"),
      Map.entry("ValidateRequest", "a policy document (YAML or JSON), or {conditions: string | [string]}"),
      Map.entry("ValidationResult", "{valid, diagnostics: [{severity, file, line, column, field, message}], policy?}"),
      Map.entry("PolicyDocument", "a policy file (apiVersion gavel/v1, kind Policy), as YAML or JSON"),
      Map.entry("MergePatch", "RFC 7396 merge patch of the policy's JSON; spec.rules may be an object keyed by rule name"),
      Map.entry("WriteResult", "{commit, previous, changed, policy?: RawPolicy}")));

  private OpenApiDocument() {}

  static ObjectNode build(List<ApiRoute> routes) {
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Gavel API");
    info.put("version", "v1");
    info.put("description", "A versioned GitOps policy store. Errors are RFC 9457 problem+json.");
    ObjectNode paths = doc.putObject("paths");
    for (ApiRoute r : routes) {
      ObjectNode item = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
      ObjectNode op = item.putObject(r.method().name().toLowerCase(Locale.ROOT));
      op.put("operationId", operationId(r));
      op.put("summary", r.summary());
      op.putArray("tags").add(r.tag());
      if (r.role().isPresent()) {
        op.putArray("security").addObject().putArray("bearer");
        op.put("x-gavel-role", r.role().get().value());
      } else {
        op.putArray("security");
      }
      ArrayNode params = op.putArray("parameters");
      for (String p : r.pathParams()) {
        ObjectNode n = params.addObject();
        n.put("name", p);
        n.put("in", "path");
        n.put("required", true);
        n.putObject("schema").put("type", p.equals("version") ? "integer" : "string");
      }
      for (String q : r.query()) {
        ObjectNode n = params.addObject();
        n.put("name", q);
        n.put("in", "query");
        n.put("required", false);
        n.putObject("schema").put("type", q.equals("limit") || q.equals("version") ? "integer" : "string");
      }
      if (r.requestSchema() != null) {
        ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
        content.putObject("application/json").putObject("schema").put("$ref", ref(r.requestSchema()));
        if (r.requestSchema().equals("PolicyDocument") || r.requestSchema().equals("ValidateRequest")) {
          content.putObject("application/yaml").putObject("schema").put("$ref", ref(r.requestSchema()));
        }
      }
      ObjectNode responses = op.putObject("responses");
      ObjectNode ok = responses.putObject(Integer.toString(r.successStatus()));
      ok.put("description", "success");
      if (r.responseSchema() != null) {
        ok.putObject("content").putObject(r.responseSchema().equals("Text") ? "text/plain" : "application/json")
            .putObject("schema").put("$ref", ref(r.responseSchema()));
      }
      for (int s : problemStatuses(r)) {
        responses.putObject(Integer.toString(s)).put("description", "problem").putObject("content")
            .putObject(ProblemWriter.CONTENT_TYPE).putObject("schema").put("$ref", ref("Problem"));
      }
    }
    ObjectNode components = doc.putObject("components");
    ObjectNode bearer = components.putObject("securitySchemes").putObject("bearer");
    bearer.put("type", "http");
    bearer.put("scheme", "bearer");
    bearer.put("description", "An API key (gavel token create) or a JWT with role and tenants claims");
    ObjectNode schemas = components.putObject("schemas");
    SCHEMAS.forEach((name, description) -> {
      ObjectNode s = schemas.putObject(name);
      s.put("description", description);
      if (!name.equals("Text") && !name.equals("PolicyDocument") && !name.equals("ValidateRequest")) {
        s.put("type", "object");
      }
    });
    schemas.set("Problem", problemSchema());
    return doc;
  }

  private static List<Integer> problemStatuses(ApiRoute r) {
    List<Integer> s = new java.util.ArrayList<>();
    boolean hasInput = !r.pathParams().isEmpty() || !r.query().isEmpty() || r.requestSchema() != null;
    if (hasInput) {
      s.add(400);
    }
    if (r.role().isPresent()) {
      s.add(401);
      s.add(403);
    }
    if (!r.pathParams().isEmpty()) {
      s.add(404);
    }
    boolean write = !r.method().name().equals("GET") && r.path().startsWith(Routes.V1) && !r.path().endsWith("/validate")
        && !r.path().endsWith("/hooks/git");
    if (write) {
      s.add(409);
      if (r.path().contains("/policies/{name}")) {
        s.add(412);
      }
      s.add(422);
    }
    if (r.requestSchema() != null) {
      s.add(413);
    }
    s.add(500);
    return s;
  }

  private static ObjectNode problemSchema() {
    ObjectNode p = Json.object();
    p.put("type", "object");
    p.put("description", "RFC 9457 problem details");
    ObjectNode props = p.putObject("properties");
    props.putObject("type").put("type", "string");
    props.putObject("title").put("type", "string");
    props.putObject("status").put("type", "integer");
    props.putObject("detail").put("type", "string");
    props.putObject("instance").put("type", "string");
    ObjectNode item = props.putObject("errors").put("type", "array").putObject("items");
    item.put("type", "object");
    ObjectNode ip = item.putObject("properties");
    ip.putObject("field").put("type", "string");
    ip.putObject("message").put("type", "string");
    ip.putObject("file").put("type", "string");
    ip.putObject("line").put("type", "integer");
    ip.putObject("column").put("type", "integer");
    return p;
  }

  private static String operationId(ApiRoute r) {
    StringBuilder b = new StringBuilder(r.method().name().toLowerCase(Locale.ROOT));
    for (String seg : r.path().replace("/api/v1", "").split("[/.{}-]+")) {
      if (!seg.isEmpty()) {
        b.append(Character.toUpperCase(seg.charAt(0))).append(seg.substring(1));
      }
    }
    return b.toString();
  }

  private static String ref(String schema) {
    return "#/components/schemas/" + schema;
  }
}
