package dev.gavel.api.compat.znyx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.PolicyWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A detector (one entry of a scope's {@code detectors}) is one Gavel policy file directly in the scope's
 * directory, named by the detector. Its top-level fields are the file's, in snake_case: {@code enabled} is
 * {@code spec.status}, {@code action} is {@code spec.enforcement}; {@code settings}, {@code rules} and
 * {@code circuit_breaker} keep the file format's own contents.
 */
final class ZnyxDetectors {
    private static final YAMLMapper YAML = new YAMLMapper();
    static final Set<String> ACTIONS = Set.of("off", "audit", "warn", "block");
    /** Wire name to the file's metadata field. */
    static final Map<String, String> METADATA = ordered(
            "display_name",
            "displayName",
            "description",
            "description",
            "owner",
            "owner",
            "category",
            "category",
            "labels",
            "labels",
            "review_every",
            "reviewEvery",
            "last_reviewed",
            "lastReviewed");
    /** Wire name to the file's spec field (besides enabled and action). */
    static final Map<String, String> SPEC = ordered(
            "type",
            "type",
            "resource_types",
            "resourceTypes",
            "locked",
            "locked",
            "settings",
            "settings",
            "rules",
            "rules",
            "circuit_breaker",
            "circuitBreaker");

    private ZnyxDetectors() {}

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The detector of a policy. */
    static ObjectNode toWire(Policy p) {
        ObjectNode tree = PolicyWriter.tree(p);
        JsonNode md = tree.path("metadata");
        JsonNode spec = tree.path("spec");
        ObjectNode out = Json.object();
        out.put("enabled", p.spec().status() == Status.ACTIVE);
        out.put("action", p.spec().enforcement().value());
        SPEC.forEach((wire, file) -> {
            if (spec.has(file)) {
                out.set(wire, spec.get(file));
            }
        });
        METADATA.forEach((wire, file) -> {
            if (md.has(file)) {
                out.set(wire, md.get(file));
            }
        });
        return out;
    }

    /**
     * The policy a detector body describes, or a 422 whose fields start with {@code at} (e.g.
     * {@code body.detectors.pii}). Fields not given take the file format's defaults, except {@code action}
     * (warn) and {@code type} (custom).
     */
    static Policy fromWire(JsonNode detector, PolicyPath where, String at) {
        List<FieldError> errors = new ArrayList<>();
        if (!detector.isObject()) {
            throw ZnyxFace.validation(List.of(FieldError.of(at, "a detector is an object")));
        }
        ObjectNode tree = Json.object();
        tree.put("apiVersion", Policy.API_VERSION);
        tree.put("kind", Policy.KIND);
        ObjectNode md = tree.putObject("metadata");
        md.put("name", where.name());
        ObjectNode spec = tree.putObject("spec");
        spec.put("type", "custom");
        spec.put("enforcement", "warn");
        for (Iterator<Map.Entry<String, JsonNode>> it = detector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            JsonNode v = f.getValue();
            if (key.equals("enabled")) {
                if (!v.isBoolean()) {
                    errors.add(FieldError.of(at + ".enabled", "must be a boolean"));
                } else {
                    spec.put("status", v.asBoolean() ? "active" : "paused");
                }
            } else if (key.equals("action")) {
                if (!v.isTextual() || !ACTIONS.contains(v.asText())) {
                    errors.add(FieldError.of(at + ".action", "one of off, audit, warn, block"));
                } else {
                    spec.put("enforcement", v.asText());
                }
            } else if (SPEC.containsKey(key)) {
                spec.set(SPEC.get(key), v);
            } else if (METADATA.containsKey(key)) {
                md.set(METADATA.get(key), v);
            } else {
                errors.add(FieldError.of(at + "." + Names.printable(key), "extra fields not permitted"));
            }
        }
        if (!errors.isEmpty()) {
            throw ZnyxFace.validation(errors);
        }
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
        throw ZnyxFace.validation(r.diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(d -> FieldError.of(at + "." + wireField(d.field()), d.message()))
                .toList());
    }

    /** A file field ({@code spec.settings.allowed[0].type}) in the detector's words ({@code settings.allowed[0].type}). */
    static String wireField(String field) {
        if (field == null || field.isEmpty()) {
            return "detector";
        }
        String rest = field.replaceFirst("^(metadata|spec)\\.", "");
        if (rest.equals("status")) {
            return "enabled";
        }
        if (rest.equals("enforcement")) {
            return "action";
        }
        int end = rest.indexOf('.') < 0 ? rest.length() : rest.indexOf('.');
        String head = rest.substring(0, end).replaceAll("\\[.*$", "");
        Optional<String> wire = SPEC.entrySet().stream()
                .filter(e -> e.getValue().equals(head))
                .map(Map.Entry::getKey)
                .findFirst()
                .or(() -> METADATA.entrySet().stream()
                        .filter(e -> e.getValue().equals(head))
                        .map(Map.Entry::getKey)
                        .findFirst());
        return wire.map(w -> w + rest.substring(head.length())).orElse(rest);
    }

    /** The policy stored in a file, or 422 when the stored file itself does not parse. */
    static Policy stored(byte[] bytes, PolicyPath where) {
        ParseResult<Policy> r = PolicyParser.parse(bytes, where.path());
        if (r instanceof ParseResult.Parsed<Policy> ok) {
            return ok.value();
        }
        throw ApiProblem.invalidPolicies(
                where.path() + " does not parse",
                r.diagnostics().stream().filter(Diagnostic::isError).toList());
    }
}
