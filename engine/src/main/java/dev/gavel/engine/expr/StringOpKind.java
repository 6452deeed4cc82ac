package dev.gavel.engine.expr;

/** Infix string tests: {@code resource.name startsWith "gpt-"}. */
public enum StringOpKind {
    CONTAINS("contains"),
    STARTS_WITH("startsWith"),
    ENDS_WITH("endsWith");

    private final String keyword;

    StringOpKind(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
