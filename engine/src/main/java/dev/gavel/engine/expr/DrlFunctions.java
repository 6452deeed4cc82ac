package dev.gavel.engine.expr;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The only functions generated DRL calls. Policy authors cannot write calls; {@link
 * DrlConstraintWriter} emits these with escaped literal arguments. All are null-safe: a missing
 * value matches nothing, like every other condition on a missing value.
 */
public final class DrlFunctions {
    /** Patterns come from policy files, so the cache is bounded by them; cleared if it ever grows past this. */
    private static final int MAX_CACHED_PATTERNS = 10_000;

    private static final ConcurrentHashMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private DrlFunctions() {}

    public static boolean contains(String value, String part) {
        return value != null && value.contains(part);
    }

    public static boolean startsWith(String value, String prefix) {
        return value != null && value.startsWith(prefix);
    }

    public static boolean endsWith(String value, String suffix) {
        return value != null && value.endsWith(suffix);
    }

    /**
     * Whether the whole of {@code value} matches the RE2 {@code pattern} (linear time, no
     * backtracking). The pattern was compiled once when the condition was checked, so a syntax
     * error here is a bug in the caller; it matches nothing rather than failing the evaluation.
     */
    public static boolean matches(String value, String pattern) {
        if (value == null) {
            return false;
        }
        Pattern compiled = PATTERNS.get(pattern);
        if (compiled == null) {
            try {
                compiled = Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                return false;
            }
            if (PATTERNS.size() >= MAX_CACHED_PATTERNS) {
                PATTERNS.clear();
            }
            PATTERNS.putIfAbsent(pattern, compiled);
        }
        return compiled.matches(value);
    }
}
