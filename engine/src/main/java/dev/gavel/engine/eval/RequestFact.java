package dev.gavel.engine.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.kie.api.definition.type.ClassReactive;

/**
 * The fact Drools matches a {@link Request} with. Discriminating values are typed bean properties
 * so that {@code ==} against a literal is alpha-hashed (NOTES.md); scope levels are positional
 * ({@code scope0..scope7}) because level names are a repository setting. Attributes are split by
 * type so a generated constraint only ever sees values of the type its condition was checked for:
 * an attribute of another type is missing, never coerced.
 *
 * <p>Class-reactive: a fact is inserted, fired and deleted, never modified, so Drools' property reactivity has
 * nothing to do; left on, it computed every alpha node's property mask by reflection over this class while
 * building each knowledge base.
 */
@ClassReactive
public final class RequestFact {
    private final Request request;
    /** The request's scope levels (not copied: the fact reads them through {@link #getScope(int)}). */
    private final List<String> scope;

    private final int depth;
    /** The attributes split by type, for the DRL rendering only (built on first use; rules read one key). */
    private Map<String, String> attributeStrings;

    private Map<String, Long> attributeLongs;
    private Map<String, Boolean> attributeBooleans;
    /** Numbers of the generated rules that fired, in firing order (see compile.RuleRef). */
    private int[] hits = new int[8];

    private int hitCount;

    /**
     * Values worked out once per request for a knowledge base (see {@link #derived}): keys (by identity) at even
     * indexes, each value after its key; one array, as a fact lives for one evaluation.
     */
    private Object[] derived = new Object[16];

    private int derivedCount;

    public RequestFact(Request request) {
        this.request = request;
        this.scope = request.scope();
        this.depth = scope.size();
    }

    /**
     * Called by a generated rule's consequence with the rule's number: the only thing a rule does.
     * A fact is used by one evaluation on one thread at a time.
     */
    public void hit(int rule) {
        if (hitCount == hits.length) {
            hits = java.util.Arrays.copyOf(hits, hitCount * 2);
        }
        hits[hitCount++] = rule;
    }

    /** The rule numbers hit since the last call, and forgets them (one partition at a time). */
    public int[] takeHits() {
        int[] out = java.util.Arrays.copyOf(hits, hitCount);
        hitCount = 0;
        return out;
    }

    /**
     * The rule numbers hit since the last call, in ascending order, in a buffer valid until the next firing (the
     * first {@link #hitCount()} entries); forgets them like {@link #takeHits()} without copying them.
     */
    public int[] sortHits() {
        java.util.Arrays.sort(hits, 0, hitCount);
        return hits;
    }

    /** How many rule numbers {@link #sortHits()} left in its buffer; then forgets them. */
    public int takeHitCount() {
        int n = hitCount;
        hitCount = 0;
        return n;
    }

    /**
     * {@code compute} applied to this fact, computed on the first call only: for what a knowledge base
     * derives from the request once (the {@code startsWith} constants its name starts with, compile.PrefixIndex)
     * and then reads from many alpha nodes. {@code compute} is the key, by identity, so it must be one object
     * made with the knowledge base, never a lambda made per call.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Function<RequestFact, T> compute) {
        for (int i = 0; i < derivedCount; i += 2) {
            if (derived[i] == compute) {
                return (T) derived[i + 1];
            }
        }
        T value = compute.apply(this);
        if (derivedCount == derived.length) {
            derived = java.util.Arrays.copyOf(derived, derivedCount * 2);
        }
        derived[derivedCount] = compute;
        derived[derivedCount + 1] = value;
        derivedCount += 2;
        return value;
    }

    public Request getRequest() {
        return request;
    }

    /** Scope level {@code index} (0-based), or null when the request's scope is shorter. */
    public String getScope(int index) {
        return index < depth ? scope.get(index) : null;
    }

    public String getScope0() {
        return getScope(0);
    }

    public String getScope1() {
        return getScope(1);
    }

    public String getScope2() {
        return getScope(2);
    }

    public String getScope3() {
        return getScope(3);
    }

    public String getScope4() {
        return getScope(4);
    }

    public String getScope5() {
        return getScope(5);
    }

    public String getScope6() {
        return getScope(6);
    }

    public String getScope7() {
        return getScope(7);
    }

    public String getResourceType() {
        return request.resource().type();
    }

    public String getResourceName() {
        return request.resource().name();
    }

    public String getAction() {
        return request.action();
    }

    public String getLocationName() {
        return request.location().name();
    }

    public String getLocationCountry() {
        return request.location().country();
    }

    public String getLocationContinent() {
        return request.location().continent();
    }

    public String getFlavorName() {
        return request.flavor().name();
    }

    public String getFlavorType() {
        return request.flavor().type();
    }

    public Long getTokensInput() {
        return request.tokens().input();
    }

    public Long getTokensOutput() {
        return request.tokens().output();
    }

    public Long getTokensTotal() {
        return request.tokens().total();
    }

    public Map<String, String> getLabels() {
        return request.resource().labels();
    }

    /** All attributes as given (strings, longs, booleans). */
    public Map<String, Object> getAttributes() {
        return request.attributes();
    }

    /** The string attribute {@code key}, or null when absent or of another type (never coerced). */
    public String attributeString(String key) {
        return request.attributes().get(key) instanceof String s ? s : null;
    }

    /** The integer attribute {@code key}, or null when absent or of another type. */
    public Long attributeLong(String key) {
        return request.attributes().get(key) instanceof Long l ? l : null;
    }

    /** The boolean attribute {@code key}, or null when absent or of another type. */
    public Boolean attributeBoolean(String key) {
        return request.attributes().get(key) instanceof Boolean b ? b : null;
    }

    /** The string attributes (the DRL rendering reads {@code attributeStrings["k"]}). */
    public Map<String, String> getAttributeStrings() {
        if (attributeStrings == null) {
            splitAttributes();
        }
        return attributeStrings;
    }

    public Map<String, Long> getAttributeLongs() {
        if (attributeLongs == null) {
            splitAttributes();
        }
        return attributeLongs;
    }

    public Map<String, Boolean> getAttributeBooleans() {
        if (attributeBooleans == null) {
            splitAttributes();
        }
        return attributeBooleans;
    }

    private void splitAttributes() {
        Map<String, String> strings = new HashMap<>();
        Map<String, Long> longs = new HashMap<>();
        Map<String, Boolean> booleans = new HashMap<>();
        request.attributes().forEach((key, value) -> {
            if (value instanceof String s) {
                strings.put(key, s);
            } else if (value instanceof Long l) {
                longs.put(key, l);
            } else if (value instanceof Boolean b) {
                booleans.put(key, b);
            }
        });
        this.attributeStrings = Map.copyOf(strings);
        this.attributeLongs = Map.copyOf(longs);
        this.attributeBooleans = Map.copyOf(booleans);
    }

    @Override
    public String toString() {
        return "RequestFact" + request;
    }
}
