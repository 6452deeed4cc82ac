package dev.gavel.engine.expr;

/** A 1-based line and column (in code points) inside the condition text. */
public record Position(int line, int column) {
    /** For nodes built in code rather than parsed. */
    public static final Position NONE = new Position(0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
