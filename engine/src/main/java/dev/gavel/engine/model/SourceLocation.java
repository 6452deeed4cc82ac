package dev.gavel.engine.model;

/** A place in a source file; line and column are 1-based. */
public record SourceLocation(String file, int line, int column) {
    public static final SourceLocation UNKNOWN = new SourceLocation("", 1, 1);

    public SourceLocation {
        file = file == null ? "" : file;
        line = Math.max(1, line);
        column = Math.max(1, column);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
