package dev.gavel.engine.expr;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upper estimate of the RE2J program a pattern compiles to. RE2J matches in linear time but
 * expands counted repetition when it compiles, with no size limit: {@code (a{999}){999}} repeated a
 * few times exhausts the heap. Nested counts multiply, so they are bounded before compiling.
 */
final class RegexSize {
    /** Instructions allowed; a pattern of this size compiles in a few milliseconds. */
    static final long MAX = 20_000;

    private RegexSize() {}

    private static final class Frame {
        long done; // finished alternatives
        long current; // the alternative being read
        long last; // the item a quantifier would apply to
    }

    /** Instructions, roughly (never less than RE2J's own count by more than a small factor). */
    static long estimate(String pattern) {
        Deque<Frame> stack = new ArrayDeque<>();
        Frame frame = new Frame();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            switch (c) {
                case '\\' -> {
                    i = escape(pattern, i, frame);
                    continue;
                }
                case '[' -> {
                    i = charClass(pattern, i);
                    item(frame, 1);
                    continue;
                }
                case '(' -> {
                    stack.push(frame);
                    frame = new Frame();
                }
                case ')' -> {
                    long group = frame.done + frame.current + 2;
                    frame = stack.isEmpty() ? new Frame() : stack.pop();
                    item(frame, group);
                }
                case '|' -> {
                    frame.done = saturate(frame.done + frame.current + 1);
                    frame.current = 0;
                    frame.last = 0;
                }
                case '*', '+', '?' -> frame.current = saturate(frame.current + 1);
                case '{' -> {
                    int close = pattern.indexOf('}', i);
                    long max = close < 0 ? -1 : repeatMax(pattern.substring(i + 1, close));
                    if (max < 0) {
                        item(frame, 1); // a literal '{'
                    } else {
                        long repeated = saturate(frame.last * Math.max(max, 1));
                        frame.current = saturate(frame.current - frame.last + repeated + max);
                        frame.last = repeated;
                        i = close + 1;
                        continue;
                    }
                }
                default -> item(frame, 1);
            }
            i++;
        }
        long total = frame.done + frame.current + 4; // the program's own capture and match instructions
        while (!stack.isEmpty()) { // unbalanced: RE2J rejects it anyway
            Frame outer = stack.pop();
            total = saturate(total + outer.done + outer.current);
        }
        return total;
    }

    private static void item(Frame frame, long size) {
        frame.current = saturate(frame.current + size);
        frame.last = size;
    }

    private static int escape(String p, int i, Frame frame) {
        int j = i + 2;
        if (i + 1 >= p.length()) {
            return j;
        }
        char e = p.charAt(i + 1);
        if (e == 'Q') { // \Q...\E: literal text
            int end = p.indexOf("\\E", j);
            int stop = end < 0 ? p.length() : end;
            for (int k = j; k < stop; k++) {
                item(frame, 1);
            }
            return end < 0 ? p.length() : end + 2;
        }
        if ((e == 'p' || e == 'P' || e == 'x') && j < p.length() && p.charAt(j) == '{') {
            int close = p.indexOf('}', j);
            j = close < 0 ? p.length() : close + 1;
        } else if (e == 'p' || e == 'P') {
            j++;
        }
        item(frame, 1);
        return j;
    }

    private static int charClass(String p, int i) {
        int j = i + 1;
        if (j < p.length() && p.charAt(j) == '^') {
            j++;
        }
        if (j < p.length() && p.charAt(j) == ']') {
            j++;
        }
        while (j < p.length() && p.charAt(j) != ']') {
            if (p.charAt(j) == '\\') {
                j += 2;
            } else if (p.startsWith("[:", j)) {
                int close = p.indexOf(":]", j + 2);
                j = close < 0 ? j + 1 : close + 2;
            } else {
                j++;
            }
        }
        return j + 1;
    }

    /** The largest count of {@code {n}}, {@code {n,}} or {@code {n,m}}, or -1 if it is not a repeat. */
    private static long repeatMax(String inside) {
        if (!inside.matches("[0-9]{1,9}(,[0-9]{0,9})?")) {
            return -1;
        }
        int comma = inside.indexOf(',');
        if (comma < 0) {
            return Long.parseLong(inside);
        }
        long min = Long.parseLong(inside.substring(0, comma));
        return comma == inside.length() - 1 ? min + 1 : Math.max(min, Long.parseLong(inside.substring(comma + 1)));
    }

    private static long saturate(long value) {
        return value < 0 || value > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : value;
    }
}
