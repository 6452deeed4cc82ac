package dev.gavel.bench.peers;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the RE2 patterns the workload generator writes into wildcard patterns (Cedar's {@code like}:
 * {@code *} matches any text), for peers without regular expressions. Handles literals, escaped
 * literals, one level of literal alternation {@code (a|b)}, {@code .*}, and a character class under
 * {@code *} ({@code [0-9]*}), which becomes {@code *}: a <em>wider</em> pattern, so such a translation
 * is marked inexact and only the equivalence check over the request mix vouches for it. Anything else
 * is refused rather than guessed.
 *
 * @param alternatives the value matches when it matches one of them; each holds literal strings and
 *     {@code null} for a wildcard
 * @param exact false when a class was widened to a wildcard
 */
public record LikePatterns(List<List<String>> alternatives, boolean exact) {
    public static LikePatterns of(String re2) {
        List<List<String>> alternatives = new ArrayList<>();
        alternatives.add(new ArrayList<>());
        boolean exact = true;
        int i = 0;
        while (i < re2.length()) {
            char c = re2.charAt(i);
            if (c == '\\' && i + 1 < re2.length() && !Character.isLetterOrDigit(re2.charAt(i + 1))) {
                append(alternatives, List.of(String.valueOf(re2.charAt(i + 1))));
                i += 2;
            } else if (c == '.' && i + 1 < re2.length() && re2.charAt(i + 1) == '*') {
                append(alternatives, nullList());
                i += 2;
            } else if (c == '[') {
                int end = re2.indexOf(']', i + 2);
                if (end < 0 || end + 1 >= re2.length() || re2.charAt(end + 1) != '*') {
                    throw refuse(re2);
                }
                append(alternatives, nullList());
                exact = false;
                i = end + 2;
            } else if (c == '(') {
                int end = re2.indexOf(')', i);
                if (end < 0 || (end + 1 < re2.length() && "*+?{".indexOf(re2.charAt(end + 1)) >= 0)) {
                    throw refuse(re2);
                }
                List<String> options = List.of(re2.substring(i + 1, end).split("\\|", -1));
                for (String o : options) {
                    if (!o.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '-' || ch == '_')) {
                        throw refuse(re2);
                    }
                }
                List<List<String>> next = new ArrayList<>();
                for (List<String> a : alternatives) {
                    for (String o : options) {
                        List<String> copy = new ArrayList<>(a);
                        copy.add(o);
                        next.add(copy);
                    }
                }
                alternatives = next;
                i = end + 1;
            } else if ("*+?{}|^$.)]\\".indexOf(c) >= 0
                    || (i + 1 < re2.length() && "*+?{".indexOf(re2.charAt(i + 1)) >= 0)) {
                throw refuse(re2);
            } else {
                append(alternatives, List.of(String.valueOf(c)));
                i++;
            }
        }
        return new LikePatterns(
                alternatives.stream().map(LikePatterns::joinLiterals).toList(), exact);
    }

    private static List<String> nullList() {
        List<String> l = new ArrayList<>();
        l.add(null);
        return l;
    }

    private static void append(List<List<String>> alternatives, List<String> parts) {
        alternatives.forEach(a -> a.addAll(parts));
    }

    private static List<String> joinLiterals(List<String> parts) {
        List<String> out = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (String p : parts) {
            if (p == null) {
                if (!literal.isEmpty()) {
                    out.add(literal.toString());
                    literal.setLength(0);
                }
                if (out.isEmpty() || out.get(out.size() - 1) != null) {
                    out.add(null);
                }
            } else {
                literal.append(p);
            }
        }
        if (!literal.isEmpty()) {
            out.add(literal.toString());
        }
        return java.util.Collections.unmodifiableList(out);
    }

    private static UnsupportedOperationException refuse(String re2) {
        return new UnsupportedOperationException("pattern has no wildcard translation: " + re2);
    }
}
