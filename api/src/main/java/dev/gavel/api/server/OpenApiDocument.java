package dev.gavel.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.Json;
import dev.gavel.api.wire.Patterns;
import dev.gavel.api.wire.Problem;
import dev.gavel.api.wire.RecordSchemas;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of the route table: every registered route, and nothing else. Body schemas
 * come from the body records ({@link RecordSchemas}) and the policy file's own JSON Schema; nothing
 * here restates a body field.
 */
final class OpenApiDocument {
    private static final Map<String, String> TAGS = new TreeMap<>(Map.of(
            "operations", "Health, readiness, metrics, the branch hook and the served commit",
            "policies", "Policy files: list, read, resolve, write",
            "history", "Versions, commits, rollback and revert",
            "authoring", "Validation, templates and impact, without committing",
            "lifecycle", "Pause, resume, promote and the circuit breakers",
            "evaluations", "Decisions and the evaluation log",
            "workloads", "Cluster reports of pods and jobs, and the heartbeat policies governing them"));

    private OpenApiDocument() {}

    static ObjectNode build(List<ApiRoute> routes, RecordSchemas records) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Gavel API");
        info.put("version", "v1");
        info.put("description", "A versioned GitOps policy store. Errors are RFC 9457 problem+json.");
        info.putObject("license").put("name", "Apache-2.0").put("identifier", "Apache-2.0");
        doc.putArray("servers")
                .addObject()
                .put("url", "/")
                .put("description", "The server that serves this document (gavel serve)");
        ArrayNode tags = doc.putArray("tags");
        TAGS.forEach((name, description) -> tags.addObject().put("name", name).put("description", description));
        records.ref(Problem.class);
        ObjectNode paths = doc.putObject("paths");
        for (ApiRoute r : routes) {
            ObjectNode item = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            item.set(r.method().name().toLowerCase(Locale.ROOT), operation(r));
        }
        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        new TreeMap<>(records.schemas()).forEach(schemas::set);
        named(schemas);
        ObjectNode bearer = components.putObject("securitySchemes").putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("description", "An API key (gavel token create) or a JWT with role and tenants claims");
        return doc;
    }

    private static ObjectNode operation(ApiRoute r) {
        ObjectNode op = Json.object();
        op.put("operationId", operationId(r));
        op.put("summary", r.summary());
        op.putArray("tags").add(r.tag());
        if (r.role().isPresent()) {
            op.putArray("security").addObject().putArray("bearer");
            op.put("x-gavel-role", r.role().get().value());
        } else {
            op.putArray("security").addObject();
        }
        ArrayNode params = op.putArray("parameters");
        for (String p : r.pathParams()) {
            ObjectNode n = params.addObject();
            n.put("name", p);
            n.put("in", "path");
            n.put("required", true);
            n.set("schema", parameterSchema(p));
        }
        for (String q : r.query()) {
            ObjectNode n = params.addObject();
            n.put("name", q);
            n.put("in", "query");
            n.put("required", false);
            n.set("schema", parameterSchema(q));
        }
        for (String h : r.doc().requestHeaders()) {
            ObjectNode n = params.addObject();
            n.put("name", h);
            n.put("in", "header");
            n.put("required", false);
            n.put(
                    "description",
                    h.equals("If-Match")
                            ? "The ETag the change is based on: 412 when the policy changed since"
                            : "The commit message (at most 1,000 characters)");
            n.putObject("schema").put("type", "string");
        }
        if (params.isEmpty()) {
            op.remove("parameters");
        }
        if (r.requestSchema() != null) {
            boolean optional = r.requestSchema().equals("HookRequest");
            ObjectNode body = op.putObject("requestBody").put("required", !optional);
            ObjectNode content = body.putObject("content");
            content.putObject("application/json").putObject("schema").put("$ref", ref(r.requestSchema()));
            if (r.requestSchema().equals("Policy") || r.requestSchema().equals("ValidateRequest")) {
                content.putObject("application/yaml").putObject("schema").put("$ref", ref(r.requestSchema()));
            }
        }
        ObjectNode responses = op.putObject("responses");
        List<Integer> successes = new ArrayList<>();
        successes.add(r.successStatus());
        r.doc().otherStatuses().stream().filter(s -> s < 300).forEach(successes::add);
        for (int status : successes) {
            ObjectNode ok = responses.putObject(Integer.toString(status));
            ok.put(
                    "description",
                    status == 201 ? "created" : status == 202 ? "accepted" : status == 204 ? "done" : "success");
            if (r.responseSchema() != null && status != 204) {
                ObjectNode content = ok.putObject("content");
                content.putObject(r.doc().responseMediaType())
                        .putObject("schema")
                        .put("$ref", ref(r.responseSchema()));
                if (r.doc().alsoYaml()) {
                    content.putObject("application/yaml")
                            .putObject("schema")
                            .put("type", "string")
                            .put("description", "The policy file as stored");
                }
            }
            if (!r.doc().responseHeaders().isEmpty() && status != 204) {
                ObjectNode headers = ok.putObject("headers");
                for (String h : r.doc().responseHeaders()) {
                    headers.putObject(h)
                            .put(
                                    "description",
                                    switch (h) {
                                        case "ETag" ->
                                            "The policy file's ETag (its Git blob id, quoted): the If-Match of the next write";
                                        case "X-Gavel-Commit" ->
                                            "The commit read or written: a write's is the fence token for X-Gavel-Min-Commit";
                                        case "X-Gavel-Version" ->
                                            "The written commit's branch version (v<N> in X-Gavel-Min-Commit fences on it)";
                                        case "Location" -> "The created policy's URL";
                                        default -> h;
                                    })
                            .putObject("schema")
                            .put("type", "string");
                }
            }
        }
        for (int s : problemStatuses(r)) {
            responses
                    .putObject(Integer.toString(s))
                    .put("description", problemDescription(s))
                    .putObject("content")
                    .putObject(ProblemWriter.CONTENT_TYPE)
                    .putObject("schema")
                    .put("$ref", ref("Problem"));
        }
        return op;
    }

    private static ObjectNode parameterSchema(String name) {
        ObjectNode s = Json.object();
        switch (name) {
            case "scope" ->
                s.put("type", "string")
                        .put("pattern", Patterns.SCOPE_URL)
                        .put("description", "A scope, dots between segments; _ is the global scope");
            case "name", "policy" -> s.put("type", "string").put("pattern", Patterns.NAME);
            case "sha", "commit", "at" ->
                s.put("type", "string").put("pattern", "^[0-9a-fA-F]{4,40}$|^[A-Za-z0-9._/-]{1,200}$");
            case "id" ->
                s.put("type", "string")
                        .put("format", "uuid")
                        .put("pattern", "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
            case "version", "page" -> s.put("type", "integer").put("minimum", 1);
            case "limit", "pageSize" -> s.put("type", "integer").put("minimum", 1);
            case "sort" -> enumOf(s, List.of("createdAt:desc", "createdAt:asc", "name:asc", "name:desc"));
            case "type" -> enumOf(s, PolicyType.spellings());
            case "status" -> enumOf(s, Status.spellings());
            case "enforcement" -> enumOf(s, Enforcement.spellings());
            case "decision" -> enumOf(s, List.of("allow", "deny"));
            case "since", "until" ->
                s.put("type", "string").put("description", "An ISO-8601 instant, or an age such as 7d, 12h, 30m");
            default -> s.put("type", "string");
        }
        return s;
    }

    private static ObjectNode enumOf(ObjectNode s, List<String> values) {
        s.put("type", "string");
        ArrayNode e = s.putArray("enum");
        values.forEach(e::add);
        return s;
    }

    /** Schemas that are not body records: the policy file's own JSON Schema, and a few plain shapes. */
    private static void named(ObjectNode schemas) {
        hoistPolicySchema(schemas);
        ObjectNode conditions = schemas.putObject("ConditionsRequest");
        conditions.put("type", "object").put("description", "Condition expressions to check without a policy");
        conditions.putArray("required").add("conditions");
        // string | [string], said in words: a oneOf of a string and an array breaks generated clients.
        conditions
                .putObject("properties")
                .putObject("conditions")
                .put("description", "One condition (a string) or a non-empty list of them");
        ObjectNode validate = schemas.putObject("ValidateRequest");
        validate.put("description", "A policy document (YAML or JSON), or {conditions: string | [string]}");
        validate.putArray("anyOf")
                .add(Json.object().put("$ref", ref("Policy")))
                .add(Json.object().put("$ref", ref("ConditionsRequest")));
        schemas.putObject("MergePatch")
                .put("type", "object")
                .put(
                        "description",
                        "RFC 7396 merge patch of the policy's JSON; spec.rules may be an object keyed by rule name");
        schemas.putObject("HookRequest")
                .put("type", "object")
                .put("description", "The forge's push event; Gavel fetches the branch whatever it says");
        schemas.putObject("Metrics").put("type", "string").put("description", "Prometheus text exposition 0.0.4");
        schemas.putObject("OpenApi").put("type", "object").put("description", "This document");
    }

    /**
     * The policy file's JSON Schema (the one editors use), as component {@code Policy}; its {@code $defs}
     * become {@code Policy<Def>} components so every {@code $ref} resolves inside this document.
     */
    private static void hoistPolicySchema(ObjectNode schemas) {
        ObjectNode policy;
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/gavel/schema/policy.schema.json")) {
            policy = (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        policy.remove("$schema");
        policy.remove("$id");
        ObjectNode defs = (ObjectNode) policy.remove("$defs");
        rewriteRefs(policy);
        schemas.set("Policy", policy);
        // An inline enum as array items generates uncompilable Java (openapi-generator 7.25, Set<Enum>):
        // name it.
        JsonNode types = defs == null ? null : defs.at("/spec/properties/resourceTypes");
        if (types instanceof ObjectNode t && t.path("items").has("enum")) {
            schemas.set("PolicyResourceType", t.get("items"));
            t.set("items", Json.object().put("$ref", ref("PolicyResourceType")));
        }
        if (defs != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = defs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> d = it.next();
                rewriteRefs(d.getValue());
                schemas.set(defName(d.getKey()), d.getValue());
            }
        }
    }

    private static String defName(String def) {
        return "Policy" + Character.toUpperCase(def.charAt(0)) + def.substring(1);
    }

    private static void rewriteRefs(JsonNode n) {
        if (n instanceof ObjectNode o) {
            // An enum or const of strings says "type: string" too: generators type the field from it.
            JsonNode values = o.has("enum")
                    ? o.get("enum")
                    : o.has("const") ? Json.MAPPER.createArrayNode().add(o.get("const")) : null;
            if (values != null && !o.has("type") && values.isArray() && values.size() > 0) {
                boolean strings = true;
                for (JsonNode v : values) {
                    strings &= v.isTextual();
                }
                if (strings) {
                    o.put("type", "string");
                }
            }
            JsonNode r = o.get("$ref");
            if (r != null && r.isTextual() && r.asText().startsWith("#/$defs/")) {
                o.put("$ref", ref(defName(r.asText().substring("#/$defs/".length()))));
            }
            o.forEach(OpenApiDocument::rewriteRefs);
        } else if (n instanceof ArrayNode a) {
            a.forEach(OpenApiDocument::rewriteRefs);
        }
    }

    private static List<Integer> problemStatuses(ApiRoute r) {
        List<Integer> s = new ArrayList<>();
        s.add(400); // every route refuses unknown query parameters
        if (r.role().isPresent()) {
            s.add(401);
            s.add(403);
        }
        if (!r.pathParams().isEmpty()) {
            s.add(404);
        }
        boolean write = !r.method().name().equals("GET")
                && r.path().startsWith(Routes.V1)
                && !r.path().endsWith("/validate")
                && !r.path().endsWith("/hooks/git")
                && !r.path().endsWith("/impact")
                && !r.path().contains("/evaluate");
        if (write) {
            s.add(409);
            if (r.doc().requestHeaders().contains("If-Match")) {
                s.add(412);
            }
            s.add(422);
        }
        if (r.requestSchema() != null) {
            s.add(413);
        }
        r.doc().otherStatuses().stream().filter(x -> x >= 400 && !s.contains(x)).forEach(s::add);
        if (!s.contains(503) && r.path().startsWith(Routes.V1) && !r.path().endsWith("/hooks/git")) {
            s.add(503);
        }
        s.add(500);
        s.sort(Integer::compare);
        return s;
    }

    private static String problemDescription(int status) {
        return switch (status) {
            case 400 -> "invalid input (unknown query parameters included)";
            case 401 -> "no or unknown credentials";
            case 403 -> "the role or tenants do not allow it";
            case 404 -> "not found";
            case 409 -> "conflict with the branch";
            case 412 -> "If-Match is not the current ETag";
            case 413 -> "body too large";
            case 422 -> "the result would not compile";
            case 503 -> "nothing is served yet, or the log is unavailable";
            default -> "the server failed";
        };
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
