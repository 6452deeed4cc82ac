package dev.gavel.engine.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One compiled JSON Schema from {@code gavel/schema/} and the translation of its findings into
 * diagnostics a person understands, positioned at the offending key or value.
 * Instances are built once and are safe to share between threads.
 */
final class SchemaCheck {
    static final String ID_PREFIX = "https://gavel.dev/schema/v1/";
    static final String RESOURCE_DIR = "gavel/schema/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(ID_PREFIX, "classpath:" + RESOURCE_DIR)));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .build();

    /** Patterns in the schemas and what they mean, for messages. */
    private static final Map<String, String> PATTERN_MEANING = Map.of(
            "^" + Names.REGEX + "$",
            "is not a valid name: " + Names.RULE_TEXT,
            "^P(?=[0-9YMWD]*[1-9])([0-9]{1,6}Y)?([0-9]{1,6}M)?([0-9]{1,6}W)?([0-9]{1,6}D)?$",
            "is not an ISO-8601 period longer than zero such as P90D, P6M or P1Y",
            "^PT(?=[0-9HMS]*[1-9])([0-9]{1,6}H)?([0-9]{1,6}M)?([0-9]{1,6}S)?$",
            "is not an ISO-8601 duration longer than zero such as PT5M, PT1H or PT30S",
            "^[A-Za-z0-9._/-]+$",
            "may only contain letters, digits, '.', '_', '/' and '-'");

    private final String file;
    private final JsonNode document;
    private final JsonSchema schema;

    private SchemaCheck(String file, String fragment) {
        this.file = file;
        this.document = load(file);
        this.schema = FACTORY.getSchema(SchemaLocation.of(ID_PREFIX + file + fragment), CONFIG);
        this.schema.initializeValidators(); // compile everything now, not on the first request
    }

    /** The whole-document schema in {@code gavel/schema/<file>}. */
    static SchemaCheck of(String file) {
        return new SchemaCheck(file, "");
    }

    /** A definition inside a schema file, e.g. {@code policy.schema.json} + {@code #/$defs/locationSettings}. */
    static SchemaCheck of(String file, String fragment) {
        return new SchemaCheck(file, fragment);
    }

    private static JsonNode load(String file) {
        try (InputStream in = SchemaCheck.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("schema " + RESOURCE_DIR + file + " is missing from the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Validates {@code node}; positions come from {@code doc} (null: no positions), and every field path
     * is prefixed with {@code base} (where {@code node} sits in its document).
     */
    List<Diagnostic> validate(JsonNode node, YamlDocument doc, FieldPath base) {
        Set<ValidationMessage> found = schema.validate(node);
        Set<Diagnostic> out = new LinkedHashSet<>();
        for (ValidationMessage m : found) {
            out.add(translate(m, node, doc, base));
        }
        List<Diagnostic> list = new ArrayList<>(out);
        list.sort(Diagnostic.BY_POSITION);
        return list;
    }

    private Diagnostic translate(ValidationMessage m, JsonNode root, YamlDocument doc, FieldPath base) {
        FieldPath at = concat(base, m.getInstanceLocation());
        JsonNode value = m.getInstanceNode();
        JsonNode keyword = m.getSchemaNode();
        String type = m.getType() == null ? "" : m.getType();
        String property = m.getProperty();
        boolean pointAtKey = false;
        String text;
        switch (type) {
            case "additionalProperties", "unevaluatedProperties" -> {
                at = at.key(property);
                pointAtKey = true;
                List<String> allowed = allowedFields(m);
                text = "unknown field '" + Names.printable(property) + "'"
                        + (allowed.isEmpty()
                                ? (at.parent().display().endsWith("settings")
                                        ? " (custom policies take no settings)"
                                        : " (no fields are allowed here)")
                                : "; expected one of " + String.join(", ", allowed));
            }
            case "required" -> text = "missing required field '" + property + "'";
            case "enum" -> text = show(value) + " is not one of " + listOf(keyword);
            case "const" -> text = "must be " + show(keyword) + ", not " + show(value);
            case "type" -> text = "expected " + expected(keyword) + ", got " + describe(value);
            case "pattern" -> text = show(value) + " " + patternMeaning(keyword.asText());
            case "propertyNames" -> {
                pointAtKey = true;
                at = at.key(property == null ? "" : property);
                text = "key '" + property + "' is not allowed: letters, digits, '.', '_', '/' and '-', "
                        + "starting and ending with a letter or digit, at most 63 characters";
            }
            case "maxLength" ->
                text = "is " + value.asText().codePointCount(0, value.asText().length()) + " characters long; at most "
                        + keyword.asInt() + " are allowed";
            case "minLength" -> text = "must not be empty";
            case "minimum" -> text = "must be at least " + keyword.asText() + ", got " + value.asText();
            case "maximum" -> text = "must be at most " + keyword.asText() + ", got " + value.asText();
            case "format" -> text = show(value) + " is not a valid " + formatName(m);
            case "uniqueItems" -> text = "lists the same entry twice";
            case "minItems" ->
                text = "needs at least " + keyword.asInt() + (keyword.asInt() == 1 ? " entry" : " entries");
            case "maxItems" -> text = "may have at most " + keyword.asInt() + " entries";
            case "maxProperties" -> text = "must be empty";
            default -> text = stripPath(m.getMessage());
        }
        SourceLocation where =
                doc == null ? new SourceLocation("", 1, 1) : pointAtKey ? doc.keyAt(at) : doc.valueAt(at);
        String prefix = at.isRoot() ? "" : at.display() + ": ";
        return new Diagnostic(
                where.file(),
                where.line(),
                where.column(),
                Severity.ERROR,
                "required".equals(type) ? at.key(property).display() : at.display(),
                prefix + text);
    }

    private static String patternMeaning(String pattern) {
        String known = PATTERN_MEANING.get(pattern);
        if (known != null) {
            return known;
        }
        if (pattern.startsWith("^(0|[1-9][0-9]*)\\.")) {
            return "is not a semantic version such as 1.2.0";
        }
        if (pattern.startsWith("^([a-z0-9]")) {
            return "is not a scope: dotted names such as acme.chat, or empty for global";
        }
        return "does not match the pattern " + pattern;
    }

    private static FieldPath concat(FieldPath base, JsonNodePath path) {
        FieldPath p = base;
        for (int i = 0; i < path.getNameCount(); i++) {
            Object e = path.getElement(i);
            p = e instanceof Integer n ? p.index(n) : p.key(String.valueOf(e));
        }
        return p;
    }

    /** The declared properties of the schema object that owns the failed additionalProperties. */
    private List<String> allowedFields(ValidationMessage m) {
        String fragment = m.getSchemaLocation().getFragment() == null
                ? ""
                : m.getSchemaLocation().getFragment().toString();
        JsonNode owner = document.at(
                fragment.replaceFirst("/additionalProperties$", "").replaceFirst("/unevaluatedProperties$", ""));
        List<String> names = new ArrayList<>();
        JsonNode props = owner.get("properties");
        if (props != null) {
            props.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static String formatName(ValidationMessage m) {
        Object[] args = m.getArguments();
        String f = args != null && args.length > 0 ? String.valueOf(args[0]) : "";
        return switch (f) {
            case "date" -> "date (YYYY-MM-DD)";
            case "date-time" -> "date-time";
            default -> f.isEmpty() ? "value" : f;
        };
    }

    private static String listOf(JsonNode array) {
        List<String> items = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(e -> items.add(e.asText()));
        }
        return String.join(", ", items);
    }

    private static String expected(JsonNode type) {
        if (type == null) {
            return "another type";
        }
        if (type.isArray()) {
            List<String> names = new ArrayList<>();
            type.forEach(t -> names.add(typeName(t.asText())));
            return String.join(" or ", names);
        }
        return typeName(type.asText());
    }

    private static String typeName(String jsonType) {
        return switch (jsonType) {
            case "object" -> "a mapping of fields";
            case "array" -> "a list";
            case "string" -> "a string";
            case "integer" -> "an integer";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            default -> jsonType;
        };
    }

    /** What a value is, for "expected X, got Y". */
    static String describe(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "nothing (an empty value)";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        if (v.isIntegralNumber()) {
            return "the integer " + v.asText();
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        return "the string " + show(v);
    }

    /** A value quoted for a message, shortened. */
    static String show(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "an empty value";
        }
        if (v.isContainerNode()) {
            return v.isArray() ? "a list" : "a mapping";
        }
        if (v.isTextual()) {
            return "'" + Names.printable(v.asText()) + "'";
        }
        return v.asText();
    }

    private static String stripPath(String message) {
        return message == null ? "invalid value" : message.replaceFirst("^\\S*: ", "");
    }
}
