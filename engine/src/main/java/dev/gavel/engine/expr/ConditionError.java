package dev.gavel.engine.expr;

/** A diagnostic at a 1-based line and column (code points) of the condition text. */
public record ConditionError(int line, int column, String message) {
    ConditionError(Position pos, String message) {
        this(pos.line(), pos.column(), message);
    }

    @Override
    public String toString() {
        return line + ":" + column + ": " + message;
    }
}
