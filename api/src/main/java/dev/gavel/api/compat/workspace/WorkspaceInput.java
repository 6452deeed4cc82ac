package dev.gavel.api.compat.workspace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.engine.expr.ConditionProviders;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.PolicyWriter;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The workspace face's input: the seed's fields written onto a policy file's tree, condition provider checks
 * compiled with field errors, policy files parsed and written, and the seed's field names for the file's.
 */
final class WorkspaceInput {
    private static final YAMLMapper YAML = dev.gavel.api.wire.Mappers.YAML;

    private WorkspaceInput() {}

    /** Applies the seed's fields onto a policy file's tree; errors name the seed's fields. */
    static void applyInput(JsonNode body, ObjectNode tree, List<FieldError> errors) {
        ObjectNode md = (ObjectNode) tree.get("metadata");
        ObjectNode spec = (ObjectNode) tree.get("spec");
        for (String f : List.of("displayName", "description")) {
            if (body.has(f)) {
                String v = text(body, f, errors, false);
                if (v != null) {
                    md.put(f, v);
                }
            }
        }
        if (body.has("promotion")) {
            JsonNode rule = body.get("promotion");
            if (rule.isNull()) {
                spec.remove("promotion");
            } else {
                spec.set("promotion", rule.deepCopy()); // the file's schema checks it; errors name promotion.*
            }
        }
        if (body.has("enforcement")) {
            String e = text(body, "enforcement", errors, false);
            if (e != null && Enforcement.fromValue(e).isEmpty()) {
                errors.add(FieldError.of("enforcement", "one of off, audit, warn, block"));
            } else if (e != null) {
                spec.put("enforcement", e);
            }
        }
        if (body.has("status")) {
            String s = text(body, "status", errors, false);
            if ("active".equals(s) || "inactive".equals(s)) {
                spec.put("status", "active".equals(s) ? "active" : "paused");
            } else if (s != null) {
                errors.add(FieldError.of("status", "one of active, inactive"));
            }
        }
        String message = body.has("message") ? text(body, "message", errors, false) : null;
        if (body.has("conditions") || message != null) {
            // the provider rules are replaced as a whole; rules written with when: are kept
            ArrayNode kept = Json.MAPPER.createArrayNode();
            ArrayNode old = spec.has("rules") ? (ArrayNode) spec.get("rules") : Json.MAPPER.createArrayNode();
            List<JsonNode> oldChecks = new ArrayList<>();
            for (JsonNode r : old) {
                if (r.has("check")) {
                    oldChecks.add(r);
                } else {
                    kept.add(r);
                }
            }
            List<JsonNode> conditions = new ArrayList<>();
            if (body.has("conditions")) {
                JsonNode cs = body.get("conditions");
                List<JsonNode> list = conditionList(cs, errors);
                for (int i = 0; i < list.size(); i++) {
                    compile(list.get(i), cs.isArray() ? "conditions[" + i + "]" : "conditions", errors);
                }
                conditions.addAll(list);
            } else {
                oldChecks.forEach(r -> conditions.add(r.get("check")));
            }
            String msg = message != null
                    ? message
                    : oldChecks.isEmpty()
                            ? null
                            : oldChecks.get(0).path("message").asText(null);
            Set<String> names = new java.util.HashSet<>();
            kept.forEach(r -> names.add(r.path("name").asText()));
            for (JsonNode c : conditions) {
                if (!c.isObject()) {
                    continue;
                }
                String base = (c.path("provider").asText() + "-"
                                + c.path("check").asText())
                        .toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^a-z0-9-]+", "-")
                        .replaceAll("^-+|-+$", "");
                base = base.isEmpty() || base.length() > 40 ? "check" : base;
                String name = base;
                for (int i = 2; !names.add(name); i++) {
                    name = base + "-" + i;
                }
                ObjectNode rule = kept.addObject();
                rule.put("name", name);
                ObjectNode check = rule.putObject("check");
                check.put("provider", c.path("provider").asText());
                check.put("check", c.path("check").asText());
                check.set("params", c.has("params") ? c.get("params") : Json.object());
                rule.put("effect", "deny");
                rule.put(
                        "message",
                        msg != null && !msg.isBlank()
                                ? msg
                                : c.path("provider").asText() + " "
                                        + c.path("check").asText() + " is not satisfied");
            }
            spec.set("rules", kept);
        }
    }

    static List<JsonNode> conditionList(JsonNode conditions, List<FieldError> errors) {
        List<JsonNode> list = new ArrayList<>();
        if (conditions.isObject()) {
            list.add(conditions);
        } else if (conditions.isArray() && !conditions.isEmpty() && conditions.size() <= 20) {
            conditions.forEach(list::add);
        } else {
            errors.add(FieldError.of("conditions", "a condition {provider, check, params} or a list of 1 to 20"));
        }
        return list;
    }

    static Optional<ConditionProviders.Compiled.Ok> compile(JsonNode c, String at, List<FieldError> errors) {
        if (!c.isObject()) {
            errors.add(FieldError.of(at, "a condition is an object {provider, check, params}"));
            return Optional.empty();
        }
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("provider", "check", "params").contains(f)) {
                errors.add(FieldError.of(at + "." + Names.printable(f), "unknown field"));
            }
        }
        JsonNode provider = c.get("provider");
        JsonNode check = c.get("check");
        if (provider == null || !provider.isTextual()) {
            errors.add(FieldError.of(at + ".provider", "required"));
            return Optional.empty();
        }
        if (check == null || !check.isTextual()) {
            errors.add(FieldError.of(at + ".check", "required"));
            return Optional.empty();
        }
        ConditionProviders.Compiled r = ConditionProviders.compile(provider.asText(), check.asText(), c.get("params"));
        if (r instanceof ConditionProviders.Compiled.Invalid invalid) {
            invalid.problems().forEach(p -> errors.add(FieldError.of(at + "." + p.field(), p.message())));
            return Optional.empty();
        }
        return Optional.of((ConditionProviders.Compiled.Ok) r);
    }

    static Policy parse(ObjectNode tree, PolicyPath where) {
        byte[] yaml;
        try {
            yaml = YAML.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ParseResult<Policy> r = PolicyParser.parse(yaml, where.path());
        if (r instanceof ParseResult.Parsed<Policy> ok) {
            return ok.value();
        }
        throw invalid(r.diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(d -> FieldError.of(seedField(d.field()), d.message()))
                .toList());
    }

    /** A file field in the seed's words where there is one. */
    static String seedField(String field) {
        if (field == null) {
            return "body";
        }
        return field.replaceFirst("^metadata\\.", "")
                .replaceFirst("^spec\\.rules\\[(\\d+)\\]\\.check", "conditions[$1]")
                .replaceFirst("^spec\\.", "");
    }

    static Policy stored(byte[] bytes, PolicyPath where) {
        ParseResult<Policy> r = PolicyParser.parse(bytes, where.path());
        if (r instanceof ParseResult.Parsed<Policy> ok) {
            return ok.value();
        }
        throw ApiProblem.invalidPolicies(
                where.path() + " does not parse",
                r.diagnostics().stream().filter(Diagnostic::isError).toList());
    }

    static byte[] bytes(Policy p, PolicyPath where) {
        return PolicyWriter.toYaml(p, where.path()).getBytes(StandardCharsets.UTF_8);
    }

    static ApiProblem invalid(List<FieldError> errors) {
        return new ApiProblem(
                422,
                "validation-failed",
                "Validation failed",
                "the policy is invalid; nothing was committed"
                        + (errors.isEmpty()
                                ? ""
                                : ": " + errors.get(0).field() + " "
                                        + errors.get(0).message()),
                errors);
    }

    static JsonNode object(Context ctx) {
        JsonNode body = RequestInput.jsonBody(ctx);
        if (!body.isObject()) {
            throw ApiProblem.badRequest("the body is a JSON object", FieldError.of("body", "not an object"));
        }
        return body;
    }

    static void requireOnly(JsonNode body, Set<String> allowed) {
        List<FieldError> unknown = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                unknown.add(FieldError.of(Names.printable(f), "unknown field"));
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiProblem.badRequest("unknown fields; nothing was committed", unknown);
        }
    }

    static String text(JsonNode body, String field, List<FieldError> errors, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(FieldError.of(field, "required"));
            }
            return null;
        }
        if (!v.isTextual()) {
            errors.add(FieldError.of(field, "must be a string"));
            return null;
        }
        return v.asText();
    }
}
