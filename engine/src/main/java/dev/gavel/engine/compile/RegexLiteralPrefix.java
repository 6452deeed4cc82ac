package dev.gavel.engine.compile;

/**
 * The literal text every whole-value match of an RE2 pattern starts with, read conservatively: the run of
 * plain characters (letters, digits and a few punctuation marks that are never special outside a character
 * class) at the start of a pattern without a top-level {@code |}, less its last character when a quantifier
 * or a {@code (?} group follows it. {@code svc-12-(canary|beta)[0-9]*} gives {@code svc-12-}; {@code ab*c} gives {@code a}; anything
 * that starts otherwise, or that this reading is unsure of ({@code \Q}, an unbalanced group), gives "".
 */
final class RegexLiteralPrefix {
    private RegexLiteralPrefix() {}

    static String of(String pattern) {
        if (!withoutTopLevelAlternation(pattern)) {
            return "";
        }
        int end = 0;
        while (end < pattern.length() && plain(pattern.charAt(end))) {
            end++;
        }
        if (end > 0
                && end < pattern.length()
                && ("*+?{".indexOf(pattern.charAt(end)) >= 0 || pattern.startsWith("(?", end))) {
            // The quantifier applies to the last character, which may then be absent or repeated; a quantifier
            // after a flag group such as (?i) applies to it too (a flag group is no atom), so drop it as well.
            end--;
        }
        return pattern.substring(0, end);
    }

    private static boolean plain(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '-'
                || c == '/'
                || c == ':'
                || c == '@'
                || c == ','
                || c == '='
                || c == '%'
                || c == '~';
    }

    /** Whether the pattern has no {@code |} outside groups and classes; false when unsure. */
    private static boolean withoutTopLevelAlternation(String p) {
        int depth = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                if (i + 1 < p.length() && p.charAt(i + 1) == 'Q') {
                    return false; // quoted text: not worth reading here
                }
                i++;
            } else if (c == '[') {
                i = classEnd(p, i);
                if (i < 0) {
                    return false;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth < 0) {
                    return false;
                }
            } else if (c == '|' && depth == 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** The index of the {@code ]} closing the class opened at {@code open}, or -1. */
    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++; // a ']' first in a class is literal
        }
        for (; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
                int close = p.indexOf(":]", i + 2);
                if (close < 0) {
                    return -1;
                }
                i = close + 1;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }
}
