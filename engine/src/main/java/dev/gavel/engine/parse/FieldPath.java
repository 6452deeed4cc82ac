package dev.gavel.engine.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * A path to a field: a JSON pointer internally ({@code /spec/rules/0/effect}) and, for people,
 * {@code spec.rules[0].effect}. Elements are strings (object keys) or integers (list indexes).
 */
record FieldPath(List<Object> elements) {
    static final FieldPath ROOT = new FieldPath(List.of());

    FieldPath {
        elements = List.copyOf(elements);
    }

    static FieldPath of(Object... elements) {
        return new FieldPath(List.of(elements));
    }

    FieldPath key(String key) {
        List<Object> e = new ArrayList<>(elements);
        e.add(key);
        return new FieldPath(e);
    }

    FieldPath index(int i) {
        List<Object> e = new ArrayList<>(elements);
        e.add(i);
        return new FieldPath(e);
    }

    FieldPath parent() {
        return elements.isEmpty() ? this : new FieldPath(elements.subList(0, elements.size() - 1));
    }

    boolean isRoot() {
        return elements.isEmpty();
    }

    /** JSON pointer (RFC 6901). */
    String pointer() {
        StringBuilder b = new StringBuilder();
        for (Object e : elements) {
            b.append('/').append(e.toString().replace("~", "~0").replace("/", "~1"));
        }
        return b.toString();
    }

    /** {@code spec.rules[0].effect}; keys that are not plain identifiers are quoted. */
    String display() {
        StringBuilder b = new StringBuilder();
        for (Object e : elements) {
            if (e instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else {
                String k = e.toString();
                if (k.matches("[A-Za-z0-9_-]+")) {
                    if (b.length() > 0) {
                        b.append('.');
                    }
                    b.append(k);
                } else {
                    b.append("[\"").append(k.replace("\"", "\\\"")).append("\"]");
                }
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return display();
    }
}
