package dev.gavel.engine.expr;

/** The three value types of the condition language. */
public enum ValueType {
    STRING("string"),
    INTEGER("integer"),
    BOOLEAN("boolean");

    private final String word;

    ValueType(String word) {
        this.word = word;
    }

    /** How messages name the type. */
    public String word() {
        return word;
    }
}
