package dev.gavel.engine.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request to decide: who asks (scope), for what (resource, action), where, on which flavor,
 * how big (tokens), plus free-form attributes. Every part may be missing (null); a condition on a
 * missing value is false except {@code !=}, which is true (docs/conditions.md).
 *
 * @param scope level values from the top (tenant, app, agent, env by default); at most 8
 * @param attributes values are strings, integers (normalised to {@link Long}) or booleans
 */
public record Request(
        List<String> scope,
        Resource resource,
        String action,
        Location location,
        Flavor flavor,
        Tokens tokens,
        Map<String, Object> attributes) {

    /** Scope levels a request and a {@link RequestFact} carry (scope0..scope7). */
    public static final int MAX_SCOPE_LEVELS = 8;

    public Request {
        scope = scope == null ? List.of() : List.copyOf(scope);
        if (scope.size() > MAX_SCOPE_LEVELS) {
            throw new IllegalArgumentException(
                    "a scope has at most " + MAX_SCOPE_LEVELS + " levels, got " + scope.size());
        }
        resource = resource == null ? Resource.NONE : resource;
        location = location == null ? Location.NONE : location;
        flavor = flavor == null ? Flavor.NONE : flavor;
        tokens = tokens == null ? Tokens.NONE : tokens;
        attributes = normaliseAttributes(attributes);
    }

    /** The resource asked for; labels are string-valued. */
    public record Resource(String type, String name, Map<String, String> labels) {
        public static final Resource NONE = new Resource(null, null, Map.of());

        public Resource {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    public record Location(String name, String country, String continent) {
        public static final Location NONE = new Location(null, null, null);
    }

    public record Flavor(String name, String type) {
        public static final Flavor NONE = new Flavor(null, null);
    }

    /**
     * Token counts. When {@code total} is not given it is the sum of the counts that are given, and
     * missing when neither is.
     */
    public record Tokens(Long input, Long output, Long total) {
        public static final Tokens NONE = new Tokens(null, null, null);

        public Tokens {
            requireNotNegative("tokens.input", input);
            requireNotNegative("tokens.output", output);
            requireNotNegative("tokens.total", total);
            if (total == null && (input != null || output != null)) {
                long in = input == null ? 0 : input;
                long out = output == null ? 0 : output;
                // Saturate rather than wrap: a wrapped sum would turn a huge request into a small one.
                long sum = in + out;
                total = sum < 0 ? Long.MAX_VALUE : sum;
            }
        }

        public Tokens(Long input, Long output) {
            this(input, output, null);
        }

        private static void requireNotNegative(String name, Long value) {
            if (value != null && value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
        }
    }

    private static Map<String, Object> normaliseAttributes(Map<String, Object> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            Objects.requireNonNull(key, "attribute key");
            if (value == null) {
                return; // a null attribute is a missing one
            }
            copy.put(key, normaliseAttribute(key, value));
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    private static Object normaliseAttribute(String key, Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException("attribute '" + key + "' must be a string, an integer or a boolean, got "
                + value.getClass().getSimpleName());
    }
}
