package dev.gavel.engine.parse;

/** How bad a diagnostic is: errors make a file invalid, warnings do not. */
public enum Severity {
    ERROR("error"),
    WARNING("warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
