package dev.gavel.engine.compile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code startsWith} constants of one string property in one knowledge base, so that the tests
 * {@code startsWith(property, "c")} can be hashed by Drools' alpha network instead of evaluated one by one.
 *
 * <p>A value can start with several constants, and a hash lookup selects one node per property. But the
 * constants a value starts with are all prefixes of one string, so they form a chain (each a prefix of the
 * next). Give each constant its <em>height</em>: how many other constants of the base are proper prefixes of
 * it. Two constants of the same height are never prefixes of one another, so a value starts with at most one
 * constant of each height, and that one is the {@code h}-th shortest of the constants it starts with (the
 * shorter ones are exactly the proper prefixes of it). So {@code startsWith(v, c)} holds exactly when
 * {@code matching(v)[height(c)] == c}: one hashed equality on the derived property "prefix of height h".
 */
public final class PrefixIndex {
    private final Map<String, Integer> heights;
    /** Each constant as the index holds it: a match returns this object, whose hash is computed once. */
    private final Map<String, String> canonical;
    /** The distinct lengths of the constants, ascending. */
    private final int[] lengths;

    private PrefixIndex(Map<String, Integer> heights, int[] lengths) {
        this.heights = heights;
        Map<String, String> canonical = new HashMap<>();
        heights.keySet().forEach(c -> canonical.put(c, c));
        this.canonical = canonical;
        this.lengths = lengths;
    }

    /** The index of {@code constants} (duplicates allowed). */
    public static PrefixIndex of(Collection<String> constants) {
        TreeSet<Integer> distinct = new TreeSet<>();
        for (String c : constants) {
            distinct.add(c.length());
        }
        int[] lengths = distinct.stream().mapToInt(Integer::intValue).toArray();
        Map<String, Integer> heights = new HashMap<>();
        for (String c : constants) {
            heights.put(c, 0);
        }
        for (String c : heights.keySet()) {
            int h = 0;
            for (int length : lengths) {
                if (length < c.length() && heights.containsKey(c.substring(0, length))) {
                    h++;
                }
            }
            heights.put(c, h);
        }
        return new PrefixIndex(Map.copyOf(heights), lengths);
    }

    /** How many other constants of the index are proper prefixes of {@code constant} (one of the index's). */
    public int height(String constant) {
        Integer h = heights.get(constant);
        if (h == null) {
            throw new IllegalArgumentException("not a constant of this index");
        }
        return h;
    }

    /** The constants {@code value} starts with, shortest first (the one at {@code i} has height {@code i}); none for null. */
    public String[] matching(String value) {
        if (value == null) {
            return NONE;
        }
        List<String> out = null;
        for (int length : lengths) {
            if (length > value.length()) {
                break;
            }
            String constant = canonical.get(value.substring(0, length));
            if (constant != null) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(constant);
            }
        }
        return out == null ? NONE : out.toArray(NONE);
    }

    /** The constant of height {@code height} that {@code value} starts with, or null: the derived property. */
    public static String at(String[] matching, int height) {
        return height < matching.length ? matching[height] : null;
    }

    private static final String[] NONE = new String[0];
}
