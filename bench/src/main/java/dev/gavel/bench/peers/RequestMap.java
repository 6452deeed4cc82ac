package dev.gavel.bench.peers;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.expr.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request as the plain map the expression-language peers (MVEL for Easy Rules, Aviator for jCasbin)
 * read: every key is there and a missing value is null (MVEL raises an error on an absent map key, which
 * Easy Rules would quietly count as false). Keys: {@code scope0..scope7},
 * {@code path} ({@code /tenant/app/agent/env/}, for path matchers), {@code kind} (resource.type),
 * {@code name}, {@code labels}, {@code action}, {@code locationName}, ..., {@code tokensTotal}, and the
 * attributes split by type into {@code attrString}, {@code attrLong}, {@code attrBool} (Gavel treats an
 * attribute of another type than the condition's as missing; split maps make that a missing key).
 */
public final class RequestMap {
    private RequestMap() {}

    public static String key(Field f) {
        return switch (f) {
            case RESOURCE_TYPE -> "kind";
            case RESOURCE_NAME -> "name";
            case ACTION -> "action";
            case LOCATION_NAME -> "locationName";
            case LOCATION_COUNTRY -> "locationCountry";
            case LOCATION_CONTINENT -> "locationContinent";
            case FLAVOR_NAME -> "flavorName";
            case FLAVOR_TYPE -> "flavorType";
            case TOKENS_INPUT -> "tokensInput";
            case TOKENS_OUTPUT -> "tokensOutput";
            case TOKENS_TOTAL -> "tokensTotal";
        };
    }

    /** {@code /a/b/} for scope [a, b]; {@code /} for the global scope. */
    public static String path(List<String> segments) {
        StringBuilder out = new StringBuilder("/");
        for (String s : segments) {
            out.append(s).append('/');
        }
        return out.toString();
    }

    /**
     * The request with labels and attributes also as top-level keys ({@link #flatKey}), for languages
     * whose standard syntax has no map lookup by string (Casbin's matcher syntax).
     */
    public static Map<String, Object> withFlatKeys(Request r) {
        Map<String, Object> m = of(r);
        r.resource().labels().forEach((k, v) -> m.put(flatKey("labels", k), v));
        r.attributes()
                .forEach((k, v) -> m.put(
                        flatKey(v instanceof String ? "attrString" : v instanceof Long ? "attrLong" : "attrBool", k),
                        v));
        return m;
    }

    /**
     * An identifier for key {@code key} of nested map {@code map}: letters and digits kept, any other
     * character as {@code _} and two hex digits, so distinct keys stay distinct ({@code cost-center} in
     * labels is {@code labels_cost_2dcenter}).
     */
    public static String flatKey(String map, String key) {
        StringBuilder out = new StringBuilder(map).append('_');
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else {
                out.append('_').append(String.format("%02x", (int) c));
            }
        }
        return out.toString();
    }

    public static Map<String, Object> of(Request r) {
        Map<String, Object> m = new HashMap<>(32);
        List<String> scope = r.scope();
        for (int i = 0; i < Request.MAX_SCOPE_LEVELS; i++) {
            m.put("scope" + i, i < scope.size() ? scope.get(i) : null);
        }
        m.put("path", path(scope));
        for (Field f : Field.values()) {
            m.put(key(f), FlatReference.value(f, r));
        }
        m.put("labels", r.resource().labels());
        Map<String, Object> strings = new HashMap<>();
        Map<String, Object> longs = new HashMap<>();
        Map<String, Object> bools = new HashMap<>();
        r.attributes().forEach((k, v) -> (v instanceof String ? strings : v instanceof Long ? longs : bools).put(k, v));
        m.put("attrString", strings);
        m.put("attrLong", longs);
        m.put("attrBool", bools);
        return m;
    }
}
