package dev.gavel.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks real answers against an OpenAPI 3.1 document: the operation exists, the status is documented,
 * the media type is documented, the body validates against the documented schema (JSON Schema 2020-12,
 * networknt), and the documented response headers are present. Works on any document (the main
 * {@code /openapi.json} or a face's {@code /compat/<face>/openapi.json}); it remembers which operations it
 * checked so a test can demand that every documented operation was called.
 *
 * <pre>{@code
 * OpenApiContract c = OpenApiContract.of(documentJson);
 * c.assertAnswer("GET", "/compat/cpod/v1/things/{id}", response);  // throws AssertionError on drift
 * assertThat(c.uncalled()).isEmpty();
 * }</pre>
 */
public final class OpenApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger DOCUMENTS = new AtomicInteger();
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .build();

    private final JsonNode document;
    private final JsonSchemaFactory factory;
    private final String iri;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final Set<String> called = ConcurrentHashMap.newKeySet();

    private OpenApiContract(JsonNode document) {
        this.document = document;
        this.iri = "https://contract.gavel.test/" + DOCUMENTS.incrementAndGet() + "/openapi.json";
        String text = document.toString();
        this.factory = JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012, b -> b.schemaLoaders(l -> l.schemas(Map.of(iri, text))));
    }

    public static OpenApiContract of(JsonNode document) {
        if (!document.path("openapi").asText().startsWith("3.1")) {
            throw new IllegalArgumentException("not an OpenAPI 3.1 document: openapi=" + document.path("openapi"));
        }
        return new OpenApiContract(document);
    }

    public static OpenApiContract of(byte[] documentJson) {
        try {
            return of(JSON.readTree(documentJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /** Every documented operation, as {@code METHOD /path/{template}}. */
    public Set<String> operations() {
        Set<String> out = new LinkedHashSet<>();
        document.path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
                    if (List.of("get", "put", "post", "delete", "patch", "head", "options")
                            .contains(m)) {
                        out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
                    }
                }));
        return out;
    }

    /** Documented operations no check has touched yet. */
    public Set<String> uncalled() {
        Set<String> out = new LinkedHashSet<>(operations());
        out.removeAll(called);
        return out;
    }

    /** Throws an AssertionError listing every way the answer departs from the document. */
    public void assertAnswer(String method, String pathTemplate, HttpResponse<byte[]> response) {
        List<String> problems = check(
                method,
                pathTemplate,
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.body(),
                name -> response.headers().firstValue(name).isPresent());
        if (!problems.isEmpty()) {
            throw new AssertionError(method + " " + pathTemplate + " -> " + response.statusCode()
                    + " departs from the document:\n  " + String.join("\n  ", problems) + "\nbody: "
                    + abbreviate(new String(response.body(), StandardCharsets.UTF_8)));
        }
    }

    /**
     * The ways one answer departs from the document (empty when it conforms).
     *
     * @param hasHeader whether the answer carries a header (case-insensitive name)
     */
    public List<String> check(
            String method,
            String pathTemplate,
            int status,
            String contentType,
            byte[] body,
            java.util.function.Predicate<String> hasHeader) {
        List<String> problems = new ArrayList<>();
        String m = method.toLowerCase(Locale.ROOT);
        JsonNode op = document.path("paths").path(pathTemplate).path(m);
        if (op.isMissingNode()) {
            problems.add("no operation " + method + " " + pathTemplate + " in the document");
            return problems;
        }
        called.add(method.toUpperCase(Locale.ROOT) + " " + pathTemplate);
        JsonNode responses = op.path("responses");
        String statusKey = Integer.toString(status);
        JsonNode response = responses.has(statusKey)
                ? responses.get(statusKey)
                : responses.has(statusKey.charAt(0) + "XX")
                        ? responses.get(statusKey.charAt(0) + "XX")
                        : responses.path("default");
        if (response.isMissingNode()) {
            problems.add("status " + status + " is not documented (documented: " + fieldNames(responses) + ")");
            return problems;
        }
        response.path("headers").fieldNames().forEachRemaining(h -> {
            if (!hasHeader.test(h)) {
                problems.add("documented header " + h + " is missing");
            }
        });
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (body != null && body.length > 0) {
                problems.add("a body is sent where the document declares none");
            }
            return problems;
        }
        String media = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!content.has(media)) {
            problems.add("media type '" + media + "' is not documented (documented: " + fieldNames(content) + ")");
            return problems;
        }
        JsonNode schemaNode = content.get(media).path("schema");
        if (schemaNode.isMissingNode()) {
            return problems;
        }
        String pointer = "/paths/" + escape(pathTemplate) + "/" + m + "/responses/"
                + (responses.has(statusKey)
                        ? statusKey
                        : responses.has(statusKey.charAt(0) + "XX") ? statusKey.charAt(0) + "XX" : "default")
                + "/content/" + escape(media) + "/schema";
        JsonSchema schema =
                compiled.computeIfAbsent(pointer, p -> factory.getSchema(SchemaLocation.of(iri + "#" + p), CONFIG));
        String text = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8);
        if (media.equals("application/json") || media.endsWith("+json")) {
            validate(schema, text, "body", problems);
        } else if (media.equals("application/x-ndjson")) {
            int line = 0;
            for (String l : text.split("\n")) {
                line++;
                if (!l.isBlank()) {
                    validate(schema, l, "line " + line, problems);
                }
                if (problems.size() > 20) {
                    break;
                }
            }
        } else if ("string".equals(schemaNode.path("type").asText())
                && text.isEmpty()
                && schemaNode.path("minLength").asInt(0) > 0) {
            problems.add("empty " + media + " body");
        }
        return problems;
    }

    private static void validate(JsonSchema schema, String json, String what, List<String> problems) {
        JsonNode instance;
        try {
            instance = JSON.readTree(json);
        } catch (IOException e) {
            problems.add(what + " is not JSON: " + e.getMessage());
            return;
        }
        for (ValidationMessage v : schema.validate(instance)) {
            problems.add(what + ": " + v.getMessage());
        }
    }

    private static String fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return String.join(", ", names);
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private static String abbreviate(String s) {
        return s.length() <= 600 ? s : s.substring(0, 600) + "...";
    }
}
