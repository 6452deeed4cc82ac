package dev.gavel.engine.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.engine.model.FlavorKind;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.ResourceType;
import dev.gavel.engine.model.ScopePath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a request from JSON ({@code {resource:{type,name,labels}, action, location:{name,country,
 * continent}, flavor:{name,type}, tokens:{input,output,total}, attributes:{...}}}). Strict: an
 * unknown field or a wrong type is an error naming the field, never a silent default.
 */
public final class RequestReader {
    private static final Set<String> TOP =
            Set.of("scope", "resource", "action", "location", "flavor", "tokens", "attributes");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_./-]{1,253}");
    private static final int MAX_STRING = 1024;
    private static final int MAX_ENTRIES = 64;
    private static final int MAX_DEPTH = 4;

    private RequestReader() {}

    /** A field and what is wrong with it, e.g. {@code tokens.input: expected a whole number >= 0}. */
    public record FieldError(String field, String message) {}

    /** The request, or every error found. */
    public sealed interface Result permits Read, Invalid {}

    public record Read(Request request) implements Result {}

    public record Invalid(List<FieldError> errors) implements Result {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }

    /**
     * @param scope the scope the request is made in; at most {@code levels} deep
     * @param body the request; a {@code scope} field in it is ignored here (the caller read it)
     */
    public static Result read(ScopePath scope, JsonNode body, int levels) {
        List<FieldError> errors = new ArrayList<>();
        if (scope.depth() > levels) {
            errors.add(new FieldError(
                    "scope",
                    "'" + scope.dotted() + "' has " + scope.depth() + " levels; this repository has " + levels));
        }
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("", "the request must be a JSON object"));
            return new Invalid(errors);
        }
        unknown(body, TOP, "", errors);
        JsonNode resource = object(body, "resource", Set.of("type", "name", "labels"), errors);
        JsonNode location = object(body, "location", Set.of("name", "country", "continent"), errors);
        JsonNode flavor = object(body, "flavor", Set.of("name", "type"), errors);
        JsonNode tokens = object(body, "tokens", Set.of("input", "output", "total"), errors);
        Request request = null;
        Map<String, String> labels = stringMap(resource, "labels", "resource.labels", errors);
        Map<String, Object> attributes = attributes(body.get("attributes"), errors);
        String type = text(resource, "type", "resource.type", errors);
        String name = text(resource, "name", "resource.name", errors);
        String action = text(body, "action", "action", errors);
        String locName = text(location, "name", "location.name", errors);
        String country = text(location, "country", "location.country", errors);
        String continent = text(location, "continent", "location.continent", errors);
        String flavorName = text(flavor, "name", "flavor.name", errors);
        String flavorType = text(flavor, "type", "flavor.type", errors);
        Long input = count(tokens, "input", errors);
        Long output = count(tokens, "output", errors);
        Long total = count(tokens, "total", errors);
        enumerated("resource.type", type, ResourceType.spellings(), errors);
        enumerated("flavor.type", flavorType, FlavorKind.spellings(), errors);
        long parts = input == null || output == null ? 0 : Math.max(input + output, input); // saturates on overflow
        if (total != null && total < parts) {
            // A total below its parts would lift the total limit (docs/evaluations.md): refused, not corrected.
            errors.add(new FieldError(
                    "tokens.total",
                    total + " is less than input + output (" + parts + "); send a consistent total or leave it out"));
        }
        if (errors.isEmpty()) {
            request = new Request(
                    scope.segments(),
                    new Request.Resource(type, name, labels),
                    action,
                    new Request.Location(locName, country, continent),
                    new Request.Flavor(flavorName, flavorType),
                    new Request.Tokens(input, output, total),
                    attributes);
        }
        return errors.isEmpty() ? new Read(request) : new Invalid(errors);
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, List<FieldError> errors) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!known.contains(f)) {
                errors.add(new FieldError(
                        prefix + Names.printable(f),
                        "unknown field; expected one of "
                                + String.join(", ", known.stream().sorted().toList())));
            }
        }
    }

    private static JsonNode object(JsonNode body, String field, Set<String> known, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            errors.add(new FieldError(field, "expected an object"));
            return null;
        }
        unknown(n, known, field + ".", errors);
        return n;
    }

    private static String text(JsonNode parent, String field, String path, List<FieldError> errors) {
        JsonNode n = parent == null ? null : parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            errors.add(new FieldError(path, "expected a string"));
            return null;
        }
        if (n.textValue().length() > MAX_STRING) {
            errors.add(new FieldError(path, "longer than " + MAX_STRING + " characters"));
            return null;
        }
        return n.textValue();
    }

    /**
     * An enumerated field outside its vocabulary is refused: a type no policy names would skip every
     * policy limited by type and be allowed (fail open). Exact spelling only: no case folding, no trim.
     */
    private static void enumerated(String path, String value, List<String> allowed, List<FieldError> errors) {
        if (value != null && !allowed.contains(value)) {
            errors.add(new FieldError(
                    path,
                    "'" + Names.printable(value) + "' is not allowed; expected one of " + String.join(", ", allowed)));
        }
    }

    private static Long count(JsonNode tokens, String field, List<FieldError> errors) {
        JsonNode n = tokens == null ? null : tokens.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            errors.add(new FieldError("tokens." + field, "expected a whole number >= 0"));
            return null;
        }
        return n.longValue();
    }

    private static Map<String, String> stringMap(JsonNode parent, String field, String path, List<FieldError> errors) {
        JsonNode n = parent == null ? null : parent.get(field);
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject() || n.size() > MAX_ENTRIES) {
            errors.add(new FieldError(path, "expected an object of at most " + MAX_ENTRIES + " string values"));
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        n.fields().forEachRemaining(e -> {
            if (!KEY.matcher(e.getKey()).matches()) {
                errors.add(new FieldError(
                        path + "." + Names.printable(e.getKey()), "keys are [A-Za-z0-9_./-], 1 to 253 characters"));
            } else if (!e.getValue().isTextual()) {
                errors.add(new FieldError(path + "." + e.getKey(), "expected a string"));
            } else {
                out.put(e.getKey(), e.getValue().textValue());
            }
        });
        return out;
    }

    private static Map<String, Object> attributes(JsonNode n, List<FieldError> errors) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject() || n.size() > MAX_ENTRIES) {
            errors.add(new FieldError("attributes", "expected an object of at most " + MAX_ENTRIES + " entries"));
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", n, 0, out, errors);
        return out;
    }

    /**
     * Nested objects are read as dotted keys ({@code {github: {branch: "main"}}} is {@code github.branch}),
     * the facts condition providers read; at most {@value #MAX_DEPTH} levels and {@value #MAX_ENTRIES} values.
     */
    private static void flatten(
            String prefix, JsonNode n, int depth, Map<String, Object> out, List<FieldError> errors) {
        n.fields().forEachRemaining(e -> {
            String key = prefix + e.getKey();
            String path = "attributes." + Names.printable(key);
            JsonNode v = e.getValue();
            if (!KEY.matcher(key).matches() || e.getKey().isEmpty()) {
                errors.add(new FieldError(path, "keys are [A-Za-z0-9_./-], 1 to 253 characters"));
            } else if (v.isObject() && depth + 1 < MAX_DEPTH) {
                flatten(key + ".", v, depth + 1, out, errors);
            } else if (out.size() >= MAX_ENTRIES) {
                errors.add(new FieldError("attributes", "at most " + MAX_ENTRIES + " values"));
            } else if (v.isTextual()) {
                out.put(key, v.textValue());
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                out.put(key, v.longValue());
            } else if (v.isBoolean()) {
                out.put(key, v.booleanValue());
            } else {
                errors.add(new FieldError(path, "expected a string, a whole number or a boolean"));
            }
        });
    }
}
