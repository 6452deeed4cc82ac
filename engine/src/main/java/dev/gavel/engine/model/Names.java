package dev.gavel.engine.model;

import java.util.regex.Pattern;

/** The one name rule for scope segments, policy names and rule names: nothing else ever reaches a file path. */
public final class Names {
    /** Regex source, also used by the JSON Schemas. */
    public static final String REGEX = "[a-z0-9]([a-z0-9-]{0,47}[a-z0-9])?";

    public static final Pattern PATTERN = Pattern.compile(REGEX);
    /** What a valid name looks like, for messages. */
    public static final String RULE_TEXT =
            "lowercase letters, digits and '-', 1 to 49 characters, starting and ending with a letter or digit";

    private Names() {}

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /**
     * Returns {@code name} if valid, otherwise throws with a message naming {@code what}.
     *
     * @throws IllegalArgumentException when the name is invalid
     */
    public static String requireValid(String what, String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(what + " '" + printable(name) + "' is not a valid name: " + RULE_TEXT);
        }
        return name;
    }

    /** User text made safe for a message: control characters escaped, at most 80 characters. */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        if (s.codePointCount(0, s.length()) > 80) {
            b.append("...");
        }
        return b.toString();
    }
}
