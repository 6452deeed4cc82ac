package dev.gavel.engine.expr;

import java.util.regex.Pattern;

/** A resolved, typed request field. */
public sealed interface FieldRef extends Operand {

    /** A bare key: {@code resource.labels.team}, {@code attributes.tier}. */
    Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    /** A key in brackets, which may also hold dots and slashes: {@code resource.labels["app.kubernetes.io/name"]}. */
    Pattern QUOTED_KEY = Pattern.compile("[A-Za-z0-9_./-]{1,253}");

    ValueType type();

    /** The canonical path, as the printer writes it. */
    String path();

    /** A field with a fixed name. */
    record Fixed(Field field, Position pos) implements FieldRef {
        @Override
        public ValueType type() {
            return field.type();
        }

        @Override
        public String path() {
            return field.path();
        }
    }

    /** Scope level {@code index} (0-based) named {@code level} in the repository settings. */
    record Scope(int index, String level, Position pos) implements FieldRef {
        public Scope {
            if (index < 0 || index >= dev.gavel.engine.eval.Request.MAX_SCOPE_LEVELS) {
                throw new IllegalArgumentException("scope level index out of range: " + index);
            }
        }

        @Override
        public ValueType type() {
            return ValueType.STRING;
        }

        @Override
        public String path() {
            return "scope." + level;
        }
    }

    /** A resource label: always a string. */
    record Label(String key, Position pos) implements FieldRef {
        public Label {
            requireKey(key);
        }

        @Override
        public ValueType type() {
            return ValueType.STRING;
        }

        @Override
        public String path() {
            return keyedPath("resource.labels", key);
        }
    }

    /** A request attribute; its type is the one of the literal it is compared with. */
    record Attribute(String key, ValueType type, Position pos) implements FieldRef {
        public Attribute {
            requireKey(key);
        }

        @Override
        public String path() {
            return keyedPath("attributes", key);
        }
    }

    /** Whether {@code key} may be a label or attribute key (bare or quoted form). */
    static boolean isValidKey(String key) {
        return key != null && QUOTED_KEY.matcher(key).matches();
    }

    private static void requireKey(String key) {
        if (!isValidKey(key)) {
            throw new IllegalArgumentException("invalid key: " + key);
        }
    }

    private static String keyedPath(String prefix, String key) {
        return KEY.matcher(key).matches() ? prefix + "." + key : prefix + "[\"" + key + "\"]";
    }
}
