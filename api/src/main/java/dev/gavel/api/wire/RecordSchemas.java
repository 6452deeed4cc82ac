package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses them) generated from body records: one named schema per
 * record, a property per component, {@code required} for every component not marked
 * {@code @JsonInclude(NON_ABSENT/NON_NULL)}, {@code Optional<T>} as "T or null", and what {@link Doc}
 * adds. The wire is what Jackson writes from the same records, so the two cannot drift apart.
 *
 * <p>Written here rather than taken from swagger-core: its ModelResolver targets OpenAPI 3.0
 * ({@code nullable}) and brings its own annotation set; records, Optional and one annotation are all the
 * server needs.
 */
public final class RecordSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper READ = Mappers.JSON;

    private final Map<String, ObjectNode> schemas = new LinkedHashMap<>();
    private final Map<String, Class<?>> owners = new LinkedHashMap<>();

    /** A {@code $ref} to the record's schema, generating it (and the records it uses) on first use. */
    public ObjectNode ref(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        String name = type.getSimpleName();
        Class<?> owner = owners.putIfAbsent(name, type);
        if (owner != null && owner != type) {
            throw new IllegalStateException("two body records named " + name + ": " + owner + " and " + type);
        }
        if (owner == null) {
            schemas.put(name, F.objectNode()); // placeholder: recursion ends here
            schemas.put(name, record(type));
        }
        return F.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    /** Every schema generated so far, by name. */
    public Map<String, ObjectNode> schemas() {
        return schemas;
    }

    private ObjectNode record(Class<?> type) {
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        Doc doc = type.getAnnotation(Doc.class);
        if (doc != null && !doc.value().isEmpty()) {
            s.put("description", doc.value());
        }
        ObjectNode props = s.putObject("properties");
        ArrayNode required = F.arrayNode();
        JsonInclude typeInclude = type.getAnnotation(JsonInclude.class);
        for (RecordComponent c : type.getRecordComponents()) {
            // Jackson annotations do not target record components: javac puts them on the accessor.
            JsonProperty named = c.getAccessor().getAnnotation(JsonProperty.class);
            String name = named != null && !named.value().isEmpty() ? named.value() : c.getName();
            ObjectNode p = schema(c.getGenericType(), c.getAnnotation(Doc.class));
            props.set(name, p);
            JsonInclude include = c.getAccessor().getAnnotation(JsonInclude.class);
            if (include == null) {
                include = typeInclude;
            }
            boolean mayBeOmitted = include != null
                    && include.value() != JsonInclude.Include.ALWAYS
                    && include.value() != JsonInclude.Include.USE_DEFAULTS;
            if (!mayBeOmitted) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        return s;
    }

    private ObjectNode schema(Type t, Doc doc) {
        ObjectNode s;
        if (t instanceof ParameterizedType pt && pt.getRawType() == Optional.class) {
            ObjectNode inner = schema(pt.getActualTypeArguments()[0], doc);
            s = nullable(inner);
            return s;
        }
        if (t == OptionalInt.class || t == OptionalLong.class) {
            return nullable(annotate(F.objectNode().put("type", "integer"), doc));
        }
        if (t instanceof ParameterizedType pt) {
            Class<?> raw = (Class<?>) pt.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                s = F.objectNode().put("type", "array");
                s.set("items", schema(pt.getActualTypeArguments()[0], null));
                return annotateOuter(s, doc);
            }
            if (Map.class.isAssignableFrom(raw)) {
                s = F.objectNode().put("type", "object");
                s.set("additionalProperties", schema(pt.getActualTypeArguments()[1], null));
                return annotateOuter(s, doc);
            }
            throw new IllegalArgumentException("no schema for " + t);
        }
        Class<?> c = (Class<?>) t;
        if (c == String.class) {
            s = F.objectNode().put("type", "string");
        } else if (c == int.class || c == Integer.class) {
            s = F.objectNode().put("type", "integer").put("format", "int32");
        } else if (c == long.class || c == Long.class) {
            s = F.objectNode().put("type", "integer").put("format", "int64");
        } else if (c == double.class || c == Double.class) {
            s = F.objectNode().put("type", "number");
        } else if (c == boolean.class || c == Boolean.class) {
            s = F.objectNode().put("type", "boolean");
        } else if (c == Instant.class) {
            s = F.objectNode().put("type", "string").put("format", "date-time");
        } else if (c == LocalDate.class) {
            s = F.objectNode().put("type", "string").put("format", "date");
        } else if (c.isEnum()) {
            s = F.objectNode().put("type", "string");
            s.set("enum", spellings(c));
        } else if (JsonNode.class.isAssignableFrom(c)) {
            if (doc != null && !doc.ref().isEmpty()) {
                s = F.objectNode().put("$ref", "#/components/schemas/" + doc.ref());
                return annotateOuter(s, doc);
            }
            s = F.objectNode(); // any JSON value
        } else if (c.isRecord()) {
            return annotateOuter(ref(c), doc);
        } else {
            throw new IllegalArgumentException("no schema for " + c);
        }
        return annotate(s, doc);
    }

    /** "T or null": a type list when T names a type, else anyOf. */
    private static ObjectNode nullable(ObjectNode inner) {
        if (inner.has("type") && inner.get("type").isTextual()) {
            ArrayNode types = F.arrayNode().add(inner.get("type").asText()).add("null");
            inner.set("type", types);
            if (inner.has("enum")) {
                ((ArrayNode) inner.get("enum")).addNull();
            }
            return inner;
        }
        ObjectNode s = F.objectNode();
        s.putArray("anyOf").add(inner).addObject().put("type", "null");
        return s;
    }

    private static ObjectNode annotate(ObjectNode s, Doc doc) {
        if (doc == null) {
            return s;
        }
        if (!doc.value().isEmpty()) {
            s.put("description", doc.value());
        }
        if (!doc.pattern().isEmpty()) {
            s.put("pattern", doc.pattern());
        }
        if (doc.oneOf() != Doc.None.class) {
            s.set("enum", spellings(doc.oneOf()));
        }
        if (!doc.example().isEmpty()) {
            s.putArray("examples").add(example(doc.example(), s));
        }
        return s;
    }

    /** A $ref, array or map: a description and example may sit beside it (3.1 allows siblings of $ref). */
    private static ObjectNode annotateOuter(ObjectNode s, Doc doc) {
        if (doc != null && !doc.value().isEmpty()) {
            s.put("description", doc.value());
        }
        if (doc != null && !doc.example().isEmpty()) {
            s.putArray("examples").add(example(doc.example(), s));
        }
        return s;
    }

    private static JsonNode example(String text, ObjectNode s) {
        if ("string".equals(s.path("type").asText())) {
            return F.textNode(text);
        }
        try {
            return READ.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("example is not JSON: " + text, e);
        }
    }

    /** An enum's wire spellings: {@code value()} when it has one, else the lower-case constant names. */
    static ArrayNode spellings(Class<?> enumType) {
        ArrayNode a = F.arrayNode();
        for (Object constant : enumType.getEnumConstants()) {
            a.add(spelling((Enum<?>) constant));
        }
        return a;
    }

    public static String spelling(Enum<?> constant) {
        try {
            var value = constant.getDeclaringClass().getMethod("value");
            if (value.getReturnType() == String.class) {
                return (String) value.invoke(constant);
            }
        } catch (ReflectiveOperationException e) {
            // no value(): the lower-case name
        }
        return constant.name().toLowerCase(java.util.Locale.ROOT);
    }
}
