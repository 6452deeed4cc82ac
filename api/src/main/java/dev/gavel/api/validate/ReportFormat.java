package dev.gavel.api.validate;

import java.util.Locale;

/** How a report is printed: for a terminal, for a pull-request comment, for a bot. */
public enum ReportFormat {
    TEXT,
    MARKDOWN,
    JSON;

    public String render(ValidationReport report) {
        return switch (this) {
            case TEXT -> ReportText.render(report);
            case MARKDOWN -> ReportMarkdown.render(report);
            case JSON -> ReportJson.text(report);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
